/** S3's own XML (the PutBucketCors body); schema errors are kept as S3 answers them (MalformedXML), not thrown. */
import { parseXmlTree, type XmlElement } from '../parse-xml.js';
import { quote, type SourceText } from '../source-text.js';
import { S3_XML_NAMESPACE, malformedXml } from '../s3-errors.js';
import type { CorsRule, PolicyError, PolicyWarning, RuleElement, RuleSource } from '../types.js';
import type { PolicyBody } from './shared.js';

export function readXml(source: SourceText): PolicyBody {
  const root = parseXmlTree(source);
  if (root.localName !== 'CORSConfiguration') {
    throw source.error(`root element is <${root.name}>, expected <CORSConfiguration>, in the XML document`, root.position);
  }
  const schemaErrors: PolicyError[] = [];
  const notes: PolicyWarning[] = [];
  const namespace = root.attributes.xmlns;
  if (namespace !== undefined && namespace !== S3_XML_NAMESPACE) {
    notes.push({
      code: 'XML_NAMESPACE',
      message: `CORSConfiguration has xmlns ${quote(namespace)}, not S3's ${S3_XML_NAMESPACE}; whether S3 accepts another namespace is unknown`,
      rule: null,
      line: root.position.line,
      column: root.position.column,
      fix: `Use xmlns="${S3_XML_NAMESPACE}" or leave xmlns out.`,
    });
  }
  const rules: CorsRule[] = [];
  const sources: RuleSource[] = [];
  for (const child of root.children) {
    if (child.kind === 'text') {
      if (child.text.trim())
        schemaErrors.push(malformedXml({ rule: null, position: child.position }, `text ${quote(child.text.trim(), 30)} directly inside <CORSConfiguration>`));
      continue;
    }
    if (child.localName !== 'CORSRule') {
      schemaErrors.push(malformedXml({ rule: null, position: child.position }, `unknown element <${child.name}> inside <CORSConfiguration>`));
      continue;
    }
    const index = rules.length;
    const { rule, ruleSource } = readXmlRule(child, index, schemaErrors);
    rules.push(rule);
    sources.push(ruleSource);
  }
  const body: PolicyBody = { config: { rules }, sources, rulesPosition: root.position };
  if (schemaErrors.length) body.schemaErrors = schemaErrors;
  if (notes.length) body.notes = notes;
  return body;
}

const XML_LIST_ELEMENTS = {
  AllowedOrigin: 'allowedOrigins',
  AllowedMethod: 'allowedMethods',
  AllowedHeader: 'allowedHeaders',
  ExposeHeader: 'exposeHeaders',
} as const;

/** xsd:int as S3's schema declares MaxAgeSeconds: optional sign, digits, surrounding whitespace collapsed. */
const XML_NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;

function readXmlRule(element: XmlElement, index: number, schemaErrors: PolicyError[]): { rule: CorsRule; ruleSource: RuleSource } {
  const rule: CorsRule = { allowedOrigins: [], allowedMethods: [], allowedHeaders: [], exposeHeaders: [] };
  const ruleSource: RuleSource = { position: element.position, elements: [] };
  const ruleLabel = `rule ${index + 1}`;
  const seen = new Set<string>();
  for (const child of element.children) {
    if (child.kind === 'text') {
      if (child.text.trim())
        schemaErrors.push(
          malformedXml({ rule: index, position: child.position }, `text ${quote(child.text.trim(), 30)} directly inside <CORSRule> (${ruleLabel})`),
        );
      continue;
    }
    const name = child.localName;
    const place = { rule: index, position: child.position };
    let value = '';
    for (const part of child.children) {
      if (part.kind === 'text') value += part.text;
      else schemaErrors.push(malformedXml({ ...place, position: part.position }, `<${child.name}> must hold text, not <${part.name}> (${ruleLabel})`));
    }
    if (name in XML_LIST_ELEMENTS) {
      const element = name as keyof typeof XML_LIST_ELEMENTS;
      const list = rule[XML_LIST_ELEMENTS[element]];
      ruleSource.elements.push({ element, index: list.length, raw: value, position: child.position });
      list.push(value);
    } else if (name === 'ID' || name === 'MaxAgeSeconds') {
      if (seen.has(name)) {
        schemaErrors.push(malformedXml({ ...place, element: name }, `more than one <${name}> in <CORSRule> (${ruleLabel})`));
        continue;
      }
      seen.add(name);
      ruleSource.elements.push({ element: name, index: 0, raw: value, position: child.position });
      if (name === 'ID') rule.id = value;
      else if (XML_NUMBER.test(value)) rule.maxAgeSeconds = Number(value);
      else schemaErrors.push(malformedXml({ ...place, element: name }, `MaxAgeSeconds ${quote(value)} is not an integer (${ruleLabel})`));
    } else {
      const known: RuleElement[] = ['ID', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader', 'MaxAgeSeconds'];
      const near = known.find((k) => k.toLowerCase() === name.toLowerCase() || `${k}s`.toLowerCase() === name.toLowerCase());
      schemaErrors.push(malformedXml(place, `unknown element <${child.name}> in <CORSRule> (${ruleLabel})${near ? `; did you mean <${near}>?` : ''}`));
    }
  }
  return { rule, ruleSource };
}
