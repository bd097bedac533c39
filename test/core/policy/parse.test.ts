import { MAX_POLICY_CHARS, PolicyParseError, detectFormat, parsePolicy, type ParsedPolicy, type RuleElement } from '../../../src/core/policy/index.js';
import { manyRules } from './many-rules.js';

/** The position recorded for one value, e.g. the second AllowedMethod of rule 0. */
function at(policy: ParsedPolicy, rule: number, element: RuleElement, index = 0) {
  const found = policy.sources[rule]!.elements.find((e) => e.element === element && e.index === index);
  return found && { line: found.position.line, column: found.position.column, raw: found.raw };
}

function parseError(text: string, options: Parameters<typeof parsePolicy>[1] = { file: 'cors.txt' }): PolicyParseError {
  try {
    parsePolicy(text, options);
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyParseError);
    expect((err as Error).message).not.toContain('\n');
    return err as PolicyParseError;
  }
  throw new Error('expected a PolicyParseError');
}

const CONSOLE = `[
  {
    "ID": "uploads",
    "AllowedHeaders": ["content-type", "x-amz-*"],
    "AllowedMethods": ["PUT", "POST"],
    "AllowedOrigins": ["https://app.example.com"],
    "ExposeHeaders": ["ETag"],
    "MaxAgeSeconds": 3000
  },
  { "AllowedMethods": ["GET"], "AllowedOrigins": ["*"] }
]`;

describe('S3 console JSON', () => {
  it('reads every field of every rule, in document order', () => {
    const policy = parsePolicy(CONSOLE, { file: 'cors.json' });
    expect(policy.format).toBe('console-json');
    expect(policy.file).toBe('cors.json');
    expect(policy.config.rules).toEqual([
      {
        id: 'uploads',
        allowedHeaders: ['content-type', 'x-amz-*'],
        allowedMethods: ['PUT', 'POST'],
        allowedOrigins: ['https://app.example.com'],
        exposeHeaders: ['ETag'],
        maxAgeSeconds: 3000,
      },
      { allowedHeaders: [], allowedMethods: ['GET'], allowedOrigins: ['*'], exposeHeaders: [] },
    ]);
  });

  it('records 1-based line/column for every rule and every value', () => {
    const policy = parsePolicy(CONSOLE);
    expect(policy.sources[0]!.position).toEqual({ line: 2, column: 3 });
    expect(policy.sources[1]!.position).toEqual({ line: 10, column: 3 });
    expect(at(policy, 0, 'ID')).toEqual({ line: 3, column: 11, raw: 'uploads' });
    expect(at(policy, 0, 'AllowedHeader', 1)).toEqual({ line: 4, column: 40, raw: 'x-amz-*' });
    expect(at(policy, 0, 'AllowedMethod', 1)).toEqual({ line: 5, column: 31, raw: 'POST' });
    expect(at(policy, 0, 'MaxAgeSeconds')).toEqual({ line: 8, column: 22, raw: '3000' });
    expect(at(policy, 1, 'AllowedOrigin')).toEqual({ line: 10, column: 51, raw: '*' });
    expect(policy.sources[0]!.elements).toHaveLength(8);
  });

  it('keeps values exactly as written (S24: nothing normalised)', () => {
    const policy = parsePolicy('[{"AllowedMethods":["get"],"AllowedOrigins":["HTTPS://A.COM/ "],"AllowedHeaders":["X-Amz-Date"]}]');
    expect(policy.config.rules[0]).toMatchObject({ allowedMethods: ['get'], allowedOrigins: ['HTTPS://A.COM/ '], allowedHeaders: ['X-Amz-Date'] });
  });

  it('names the rule and key of a misspelt field, suggesting the right one', () => {
    const err = parseError('[{"AllowedOrigin": ["*"], "AllowedMethods": ["GET"]}]');
    expect(err.message).toBe(
      'cors.txt:1:3: unknown key "AllowedOrigin" (did you mean AllowedOrigins?); expected one of AllowedHeaders, AllowedMethods, AllowedOrigins, ExposeHeaders, MaxAgeSeconds, ID, in rule 1',
    );
  });

  it('refuses a string where a list is needed, naming line, column, rule and field', () => {
    expect(parseError('[\n {"AllowedMethods": "GET", "AllowedOrigins": ["*"]}]').message).toBe(
      'cors.txt:2:21: expected a list of strings, found a string, in rule 1 AllowedMethods',
    );
  });

  it('refuses a MaxAgeSeconds given as a string (the AWS CLI does too)', () => {
    expect(parseError('[{"AllowedMethods":["GET"],"AllowedOrigins":["*"],"MaxAgeSeconds":"300"}]').message).toMatch(
      /expected a number of seconds, found a string, in rule 1 MaxAgeSeconds/,
    );
  });

  it('reports malformed JSON with its position', () => {
    expect(parseError('[{"AllowedMethods": ["GET",]}]').message).toBe("cors.txt:1:28: unexpected ']', in the JSON document");
    expect(parseError('[{"AllowedMethods": ["GET"]').message).toBe("cors.txt:1:28: expected ',' or '}' in object, found end of input, in the JSON document");
  });

  it('refuses duplicate keys, since tools disagree on which one wins', () => {
    expect(parseError('[{"AllowedMethods":["GET"],"AllowedMethods":["PUT"]}]').message).toMatch(/1:28: duplicate key "AllowedMethods"/);
  });
});

describe('aws s3api JSON', () => {
  it('reads get-bucket-cors output ({"CORSRules": [...]}) with positions', () => {
    const text = '{\n  "CORSRules": [\n    {"AllowedMethods": ["GET"], "AllowedOrigins": ["https://a.example"]}\n  ]\n}';
    const policy = parsePolicy(text);
    expect(policy.format).toBe('cli-json');
    expect(policy.config.rules[0]!.allowedOrigins).toEqual(['https://a.example']);
    expect(at(policy, 0, 'AllowedOrigin')).toEqual({ line: 3, column: 52, raw: 'https://a.example' });
    expect(policy.rulesPosition).toEqual({ line: 2, column: 16 });
  });

  it('reads the put-bucket-cors --cli-input-json form {"CORSConfiguration": {"CORSRules": [...]}}', () => {
    const policy = parsePolicy('{"Bucket": "b", "CORSConfiguration": {"CORSRules": [{"AllowedMethods": ["PUT"], "AllowedOrigins": ["*"]}]}}');
    expect(policy.format).toBe('cli-json');
    expect(policy.config.rules[0]!.allowedMethods).toEqual(['PUT']);
  });

  it('accepts a GetBucketCors result printed from the SDKs, with $metadata / ResponseMetadata', () => {
    const v3 = '{"$metadata": {"httpStatusCode": 200}, "CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]}';
    const boto3 = '{"ResponseMetadata": {"HTTPStatusCode": 200}, "CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]}';
    expect(parsePolicy(v3).config.rules).toHaveLength(1);
    expect(parsePolicy(boto3).config.rules).toHaveLength(1);
  });

  it('names rules as the AWS CLI does (CORSRules[i]) in errors', () => {
    expect(parseError('{"CORSRules": [{"AllowedMethods": ["GET"]}, {"AllowedOrigins": [1]}]}').message).toBe(
      'cors.txt:1:65: expected a string, found a number, in CORSRules[1] AllowedOrigins[0]',
    );
  });
});

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <!-- uploads from the app -->
  <CORSRule>
    <ID>uploads</ID>
    <AllowedOrigin>https://app.example.com</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
  <CORSRule><AllowedOrigin>a&amp;b&#x41;&#66;</AllowedOrigin><AllowedMethod><![CDATA[GET]]></AllowedMethod></CORSRule>
</CORSConfiguration>`;

describe('S3 XML', () => {
  it('reads rules with the S3 namespace, entities and CDATA', () => {
    const policy = parsePolicy(XML);
    expect(policy.format).toBe('xml');
    expect(policy.config.rules).toEqual([
      {
        id: 'uploads',
        allowedOrigins: ['https://app.example.com'],
        allowedMethods: ['PUT', 'POST'],
        allowedHeaders: ['*'],
        exposeHeaders: ['ETag'],
        maxAgeSeconds: 3000,
      },
      { allowedOrigins: ['a&bAB'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [] },
    ]);
    expect(policy.schemaErrors).toBeUndefined();
    expect(policy.notes).toBeUndefined();
  });

  it('records the element position of every rule and value', () => {
    const policy = parsePolicy(XML);
    expect(policy.sources[0]!.position).toEqual({ line: 4, column: 3 });
    expect(at(policy, 0, 'AllowedMethod', 1)).toEqual({ line: 8, column: 5, raw: 'POST' });
    expect(at(policy, 0, 'MaxAgeSeconds')).toEqual({ line: 11, column: 5, raw: '3000' });
    expect(at(policy, 1, 'AllowedMethod')).toEqual({ line: 13, column: 62, raw: 'GET' });
  });

  it('reads XML without a namespace, and with a namespace prefix', () => {
    expect(
      parsePolicy('<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>').config
        .rules,
    ).toHaveLength(1);
    const prefixed = parsePolicy(
      '<s3:CORSConfiguration xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:CORSRule><s3:AllowedOrigin>*</s3:AllowedOrigin><s3:AllowedMethod>GET</s3:AllowedMethod></s3:CORSRule></s3:CORSConfiguration>',
    );
    expect(prefixed.config.rules[0]!.allowedMethods).toEqual(['GET']);
  });

  it('keeps schema problems S3 answers with MalformedXML as schema errors, not parse failures', () => {
    const policy = parsePolicy(
      '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>soon</MaxAgeSeconds><AllowedOrigins>x</AllowedOrigins></CORSRule></CORSConfiguration>',
    );
    expect(policy.schemaErrors!.map((e) => [e.code, e.detail])).toEqual([
      ['MalformedXML', 'MaxAgeSeconds "soon" is not an integer (rule 1)'],
      ['MalformedXML', 'unknown element <AllowedOrigins> in <CORSRule> (rule 1); did you mean <AllowedOrigin>?'],
    ]);
  });

  it("notes a namespace other than S3's", () => {
    const policy = parsePolicy(
      '<CORSConfiguration xmlns="urn:other"><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>',
    );
    expect(policy.notes!.map((n) => n.code)).toEqual(['XML_NAMESPACE']);
  });

  it('refuses a DOCTYPE: no DTDs in untrusted XML', () => {
    expect(parseError('<?xml version="1.0"?>\n<!DOCTYPE CORSConfiguration [<!ENTITY a "b">]>\n<CORSConfiguration/>').message).toBe(
      'cors.txt:2:1: <!DOCTYPE> declarations are refused: no DTDs or custom entities in untrusted XML, in the XML document',
    );
  });

  it('refuses an entity bomb (billion laughs) without expanding anything', () => {
    const lol = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', ' <!ENTITY lol "lol">'];
    for (let k = 1; k <= 9; k++) lol.push(` <!ENTITY lol${k} "${`&lol${k === 1 ? '' : k - 1};`.repeat(10)}">`);
    lol.push(']>', '<CORSConfiguration><CORSRule><AllowedOrigin>&lol9;</AllowedOrigin></CORSRule></CORSConfiguration>');
    // Refused at the DOCTYPE itself (2:1), before any entity declaration or reference is read.
    expect(parseError(lol.join('\n')).message).toMatch(/^cors\.txt:2:1: <!DOCTYPE> declarations are refused/);
    // Structural proof that nothing is expanded, without a clock: 40 levels expand to 10^40 characters, which no
    // engine could build — a parser that expanded anything would crash or never return instead of refusing.
    const huge = ['<!DOCTYPE lolz [', ' <!ENTITY lol0 "lol">'];
    for (let k = 1; k <= 40; k++) huge.push(` <!ENTITY lol${k} "${`&lol${k - 1};`.repeat(10)}">`);
    huge.push(']>', '<CORSConfiguration><CORSRule><AllowedOrigin>&lol40;</AllowedOrigin></CORSRule></CORSConfiguration>');
    expect(parseError(huge.join('\n')).message).toMatch(/^cors\.txt:1:1: <!DOCTYPE> declarations are refused/);
  });

  it('refuses undefined entities (no expansion beyond the five predefined and numeric references)', () => {
    expect(parseError('<CORSConfiguration><CORSRule><AllowedOrigin>&xxe;</AllowedOrigin></CORSRule></CORSConfiguration>').message).toBe(
      'cors.txt:1:45: undefined entity &xxe; (only &lt; &gt; &amp; &quot; &apos; and numeric references are expanded), in <AllowedOrigin>',
    );
  });

  it('reports a mismatched end tag naming the element', () => {
    expect(parseError('<CORSConfiguration>\n  <CORSRule><AllowedOrigin>*</AllowedMethod></CORSRule>\n</CORSConfiguration>').message).toBe(
      'cors.txt:2:29: end tag </AllowedMethod> does not match <AllowedOrigin>, in <AllowedOrigin>',
    );
  });

  it('reports an unclosed element at the end of input', () => {
    expect(parseError('<CORSConfiguration><CORSRule>').message).toBe('cors.txt:1:30: unexpected end of input: <CORSRule> is not closed, in <CORSRule>');
  });

  it('refuses a root element other than CORSConfiguration', () => {
    expect(parseError('<LifecycleConfiguration/>').message).toBe(
      'cors.txt:1:1: root element is <LifecycleConfiguration>, expected <CORSConfiguration>, in the XML document',
    );
  });

  it('bounds nesting depth', () => {
    const deep = `<CORSConfiguration>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</CORSConfiguration>`;
    expect(parseError(deep).message).toMatch(/nesting deeper than 64 levels/);
  });
});

const CLOUDFORMATION_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Logs:
    Type: AWS::S3::Bucket
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - Id: uploads
            AllowedHeaders: ["*"]
            AllowedMethods:
              - PUT
              - POST
            AllowedOrigins: [https://app.example.com]
            ExposedHeaders: [ETag]
            MaxAge: 3000
`;

describe('CloudFormation', () => {
  it('reads a whole YAML template, skipping buckets without CorsConfiguration', () => {
    const policy = parsePolicy(CLOUDFORMATION_YAML);
    expect(policy.format).toBe('cloudformation');
    expect(policy.resource).toBe('Resources.Uploads');
    expect(policy.config.rules).toEqual([
      {
        id: 'uploads',
        allowedHeaders: ['*'],
        allowedMethods: ['PUT', 'POST'],
        allowedOrigins: ['https://app.example.com'],
        exposeHeaders: ['ETag'],
        maxAgeSeconds: 3000,
      },
    ]);
    expect(policy.notes).toBeUndefined();
  });

  it('records YAML positions for every value', () => {
    const policy = parsePolicy(CLOUDFORMATION_YAML);
    expect(policy.sources[0]!.position).toEqual({ line: 10, column: 13 });
    expect(at(policy, 0, 'AllowedMethod', 1)).toEqual({ line: 14, column: 17, raw: 'POST' });
    expect(at(policy, 0, 'AllowedOrigin')).toEqual({ line: 15, column: 30, raw: 'https://app.example.com' });
    expect(at(policy, 0, 'MaxAgeSeconds')).toEqual({ line: 17, column: 21, raw: '3000' });
  });

  it('reads a JSON template', () => {
    const policy = parsePolicy(
      '{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"CorsConfiguration": {"CorsRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"], "MaxAge": "60"}]}}}}}',
    );
    expect(policy.format).toBe('cloudformation');
    expect(policy.config.rules[0]!.maxAgeSeconds).toBe(60);
  });

  it('reads fragments: a resource, Properties, CorsConfiguration or the CorsRules holder', () => {
    const rule = 'CorsRules:\n  - AllowedMethods: [GET]\n    AllowedOrigins: ["*"]\n';
    const indent = (text: string, n: number) => text.replace(/^/gm, ' '.repeat(n));
    for (const text of [
      rule,
      `CorsConfiguration:\n${indent(rule, 2)}`,
      `Type: AWS::S3::Bucket\nProperties:\n  CorsConfiguration:\n${indent(rule, 4)}`,
      `MyBucket:\n  Type: AWS::S3::Bucket\n  Properties:\n    CorsConfiguration:\n${indent(rule, 6)}`,
    ]) {
      expect(parsePolicy(text).config.rules[0]!.allowedMethods).toEqual(['GET']);
    }
  });

  it('reads the first of several buckets and notes the others; a resource option picks one', () => {
    const text = `Resources:
  A:
    Type: AWS::S3::Bucket
    Properties: {CorsConfiguration: {CorsRules: [{AllowedMethods: [GET], AllowedOrigins: [a]}]}}
  B:
    Type: AWS::S3::Bucket
    Properties: {CorsConfiguration: {CorsRules: [{AllowedMethods: [PUT], AllowedOrigins: [b]}]}}
`;
    const first = parsePolicy(text);
    expect(first.resource).toBe('Resources.A');
    expect(first.notes!.map((n) => [n.code, n.line])).toEqual([['MULTIPLE_CONFIGURATIONS', 4]]);
    const chosen = parsePolicy(text, { resource: 'B' });
    expect(chosen.config.rules[0]!.allowedMethods).toEqual(['PUT']);
    expect(chosen.notes).toBeUndefined();
    expect(parseError(text, { file: 't.yaml', resource: 'C' }).message).toBe(
      't.yaml:1:1: no AWS::S3::Bucket with a CorsConfiguration named "C"; found Resources.A, Resources.B, in the document',
    );
  });

  it('does not crash on short tags like !Ref/!Sub and names the place of a non-literal value', () => {
    const text = 'CorsRules:\n  - AllowedMethods: [GET]\n    AllowedOrigins: [!Ref AppOrigin]\n';
    expect(parseError(text, { file: 't.yaml' }).message).toBe(
      't.yaml:3:22: the CloudFormation function !Ref is not a literal value; lint needs the literal configuration, in the fragment CorsRules[0] AllowedOrigins[0]',
    );
    const sub = 'CorsRules:\n  - AllowedMethods: [GET]\n    AllowedOrigins: ["*"]\n    MaxAge: !Sub "${Age}"\n';
    expect(parseError(sub).message).toMatch(/4:13: the CloudFormation function !Sub is not a literal value/);
  });

  it('names long-form intrinsic functions (Fn::If, Ref) in JSON and YAML as not literal', () => {
    const json = '{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"CorsConfiguration": {"Fn::If": ["Prod", {}, {}]}}}}}';
    expect(parseError(json).message).toBe(
      'cors.txt:1:85: the CloudFormation function Fn::If is not a literal value; lint needs the literal configuration, in Resources.B CorsConfiguration',
    );
    const yaml = 'CorsRules:\n  - AllowedMethods: [GET]\n    AllowedOrigins:\n      - Ref: AppOrigin\n';
    expect(parseError(yaml).message).toMatch(/^cors\.txt:4:9: the CloudFormation function Ref is not a literal value.*AllowedOrigins\[0\]$/);
  });

  it('uses the ExposedHeaders/MaxAge/Id spelling of CloudFormation and suggests it on a near miss', () => {
    expect(parseError('CorsRules:\n  - AllowedMethods: [GET]\n    AllowedOrigins: ["*"]\n    ExposeHeaders: [ETag]\n').message).toMatch(
      /4:5: unknown key "ExposeHeaders" \(did you mean ExposedHeaders\?\)/,
    );
  });

  it('reports malformed YAML with its position', () => {
    expect(parseError('CorsRules:\n  - AllowedMethods: [GET\n    AllowedOrigins: ["*"]\n').message).toMatch(/^cors\.txt:\d+:\d+: .+, in the YAML document$/);
  });

  it('stops YAML alias bombs', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let k = 1; k < 10; k++)
      lines.push(
        `a${k}: &a${k} [${Array(10)
          .fill(`*a${k - 1}`)
          .join(', ')}]`,
      );
    lines.push('CorsRules: *a9');
    expect(parseError(lines.join('\n')).message).toMatch(/alias|values/);
  });
});

const TERRAFORM = `# CORS for uploads
resource "aws_s3_bucket" "uploads" {
  bucket = "uploads-bucket"
}

resource "aws_s3_bucket_cors_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id // a reference, fine outside cors_rule

  /* the app */
  cors_rule {
    id              = "uploads"
    allowed_headers = ["*"]
    allowed_methods = ["PUT", "POST"]
    allowed_origins = [
      "https://app.example.com", # trailing comma below
    ]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }

  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
  }
}
`;

describe('Terraform', () => {
  it('reads aws_s3_bucket_cors_configuration cors_rule blocks with comments and references elsewhere', () => {
    const policy = parsePolicy(TERRAFORM);
    expect(policy.format).toBe('terraform');
    expect(policy.resource).toBe('aws_s3_bucket_cors_configuration.uploads');
    expect(policy.config.rules).toEqual([
      {
        id: 'uploads',
        allowedHeaders: ['*'],
        allowedMethods: ['PUT', 'POST'],
        allowedOrigins: ['https://app.example.com'],
        exposeHeaders: ['ETag'],
        maxAgeSeconds: 3000,
      },
      { allowedHeaders: [], allowedMethods: ['GET'], allowedOrigins: ['*'], exposeHeaders: [] },
    ]);
  });

  it('records positions of rules and values', () => {
    const policy = parsePolicy(TERRAFORM);
    expect(policy.sources[0]!.position).toEqual({ line: 10, column: 3 });
    expect(at(policy, 0, 'AllowedMethod', 1)).toEqual({ line: 13, column: 31, raw: 'POST' });
    expect(at(policy, 0, 'AllowedOrigin')).toEqual({ line: 15, column: 7, raw: 'https://app.example.com' });
    expect(at(policy, 0, 'MaxAgeSeconds')).toEqual({ line: 18, column: 23, raw: '3000' });
    expect(at(policy, 1, 'AllowedMethod')).toEqual({ line: 22, column: 24, raw: 'GET' });
  });

  it('reads the legacy inline cors_rule of aws_s3_bucket', () => {
    const policy = parsePolicy(
      'resource "aws_s3_bucket" "site" {\n  bucket = "b"\n  cors_rule {\n    allowed_methods = ["GET"]\n    allowed_origins = ["*"]\n  }\n}\n',
    );
    expect(policy.resource).toBe('aws_s3_bucket.site');
    expect(policy.config.rules[0]!.allowedMethods).toEqual(['GET']);
  });

  it('decodes HCL escapes and keeps $${ as a literal ${', () => {
    const policy = parsePolicy(
      'resource "aws_s3_bucket_cors_configuration" "c" {\n  cors_rule {\n    allowed_methods = ["GET"]\n    allowed_origins = ["a\\"b\\\\c$${x}\\u00e9"]\n  }\n}\n',
    );
    expect(policy.config.rules[0]!.allowedOrigins).toEqual(['a"b\\c${x}é']);
  });

  it('names the line/column of a variable reference used as a value', () => {
    const text = 'resource "aws_s3_bucket_cors_configuration" "c" {\n  cors_rule {\n    allowed_methods = ["GET"]\n    allowed_origins = var.origins\n  }\n}\n';
    expect(parseError(text, { file: 'main.tf' }).message).toBe(
      'main.tf:4:23: the expression "var.origins" is not a literal value; lint needs the literal configuration, in aws_s3_bucket_cors_configuration.c cors_rule #1 allowed_origins',
    );
  });

  it('names an interpolation inside a list', () => {
    const text =
      'resource "aws_s3_bucket_cors_configuration" "c" {\n  cors_rule {\n    allowed_methods = ["GET"]\n    allowed_origins = ["https://${var.domain}"]\n  }\n}\n';
    expect(parseError(text).message).toMatch(/4:24: the expression "\\"https:\/\/\$\{var\.domain\}\\"" is not a literal value.*allowed_origins\[0\]$/);
  });

  it('refuses a dynamic cors_rule block, naming it', () => {
    const text = 'resource "aws_s3_bucket_cors_configuration" "c" {\n  dynamic "cors_rule" {\n    for_each = var.rules\n    content {}\n  }\n}\n';
    expect(parseError(text).message).toMatch(/^cors\.txt:2:3: a dynamic "cors_rule" block is computed by Terraform/);
  });

  it('reports unbalanced braces with a position', () => {
    expect(parseError('resource "aws_s3_bucket_cors_configuration" "c" {\n  cors_rule {\n    allowed_methods = ["GET"]\n').message).toMatch(
      /^cors\.txt:4:1: unexpected end of file: missing '}', in cors_rule$/,
    );
  });

  it('reads the first resource and notes the others; a resource option picks one', () => {
    const two = `${TERRAFORM}\nresource "aws_s3_bucket_cors_configuration" "other" {\n  cors_rule {\n    allowed_methods = ["HEAD"]\n    allowed_origins = ["*"]\n  }\n}\n`;
    expect(parsePolicy(two).notes!.map((n) => n.code)).toEqual(['MULTIPLE_CONFIGURATIONS']);
    expect(parsePolicy(two, { resource: 'other' }).config.rules[0]!.allowedMethods).toEqual(['HEAD']);
  });

  it('accepts skipped expressions of every kind outside cors_rule', () => {
    const text = `locals {\n  tags = { for k, v in var.x : k => v }\n  list = [for o in var.o : upper(o)]\n  s = <<EOT\nhello \${x}\nEOT\n  cond = var.a ? "x" : "y"\n}\n${TERRAFORM}`;
    expect(parsePolicy(text).config.rules).toHaveLength(2);
  });
});

describe('Terraform JSON syntax (.tf.json)', () => {
  const TF_JSON = `{
  "resource": {
    "aws_s3_bucket_cors_configuration": {
      "uploads": {
        "bucket": "\${aws_s3_bucket.uploads.id}",
        "cors_rule": [
          { "allowed_methods": ["PUT"], "allowed_origins": ["https://app.example.com"], "max_age_seconds": 60 },
          { "allowed_methods": ["GET"], "allowed_origins": ["$\${literal}"] }
        ]
      }
    }
  }
}`;

  it('reads cors_rule lists with positions; $${ is the literal ${', () => {
    const policy = parsePolicy(TF_JSON);
    expect(policy.format).toBe('terraform');
    expect(policy.resource).toBe('aws_s3_bucket_cors_configuration.uploads');
    expect(policy.config.rules.map((r) => r.allowedOrigins)).toEqual([['https://app.example.com'], ['${literal}']]);
    expect(policy.config.rules[0]!.maxAgeSeconds).toBe(60);
    expect(at(policy, 0, 'AllowedMethod')).toEqual({ line: 7, column: 33, raw: 'PUT' });
  });

  it('names a template value as not literal', () => {
    const text = '{"resource": {"aws_s3_bucket": {"b": {"cors_rule": {"allowed_methods": ["GET"], "allowed_origins": ["${var.origin}"]}}}}}';
    expect(parseError(text).message).toBe(
      'cors.txt:1:101: the template "${var.origin}" is not a literal value; lint needs the literal configuration, in aws_s3_bucket.b cors_rule #1 allowed_origins[0]',
    );
  });
});

describe('Windows line endings', () => {
  it.each([
    ['console JSON', CONSOLE, 5, 31],
    ['XML', XML, 8, 5],
    ['CloudFormation YAML', CLOUDFORMATION_YAML, 14, 17],
    ['Terraform', TERRAFORM, 13, 31],
  ])('%s with CRLF reads the same rules at the same positions', (_name, text, line, column) => {
    const crlf = parsePolicy(text.replace(/\n/g, '\r\n'));
    expect(crlf.config).toEqual(parsePolicy(text).config);
    expect(at(crlf, 0, 'AllowedMethod', 1)).toMatchObject({ line, column });
  });
});

describe('format detection', () => {
  it.each([
    [CONSOLE, 'console-json'],
    ['{"CORSRules": []}', 'cli-json'],
    [XML, 'xml'],
    [CLOUDFORMATION_YAML, 'cloudformation'],
    ['{"Resources": {}}', 'cloudformation'],
    [TERRAFORM, 'terraform'],
    ['hello world', null],
    ['', null],
  ] as const)('detects %#', (text, format) => {
    expect(detectFormat(text)).toBe(format);
  });

  it('a forced format overrides detection', () => {
    expect(() => parsePolicy(CONSOLE, { format: 'xml' })).toThrow(PolicyParseError);
  });

  it('says what it expected when nothing fits', () => {
    expect(parseError('hello world').message).toMatch(/^cors\.txt:1:1: not a recognised CORS configuration \(expected S3 console JSON/);
    expect(parseError('   ').message).toBe('cors.txt:1:1: the document is empty, in the document');
  });

  it('ignores a UTF-8 byte-order mark', () => {
    expect(parsePolicy(`\uFEFF${CONSOLE}`).config.rules).toHaveLength(2);
  });
});

describe('hostile input', () => {
  it('refuses binary garbage with a one-line PolicyParseError', () => {
    const garbage = String.fromCharCode(...Array.from({ length: 256 }, (_, k) => (k * 37) % 256));
    expect(parseError(garbage).message).toMatch(
      /^cors\.txt:1:\d+: character U\+00\w\w is not allowed in a text configuration \(binary data\?\), in the document$/,
    );
  });

  it('refuses text that was not valid UTF-8 (decoded to U+FFFD)', () => {
    expect(parseError('[{"AllowedOrigins": ["\uFFFD"]}]').message).toMatch(/not valid UTF-8/);
  });

  it('refuses a 10 MB document before parsing it', () => {
    const huge = `[${'{"AllowedMethods":["GET"],"AllowedOrigins":["*"]},'.repeat(220_000)}]`;
    expect(parseError(huge).message).toMatch(/^cors\.txt: document is \d+ characters, above the 1048576-character parse limit/);
  });

  it('checks the size before anything reads the text (no parser, no format detection, no character scan)', () => {
    // Each part of this document fails a different later stage: a NUL first (the binary-text scan), then no known
    // format (detection), then broken JSON (the parser). Only the size refusal — which reads nothing — names none.
    const hostile = `\u0000[{"AllowedOrigins": oops ${'x'.repeat(MAX_POLICY_CHARS)}`;
    expect(parseError(hostile).message).toBe(
      `cors.txt: document is ${hostile.length} characters, above the 1048576-character parse limit (S3 itself accepts at most 64 KB), in the document`,
    );
    // The same document one character under the limit reaches the scan, so the test above can fail.
    expect(parseError(hostile.slice(0, MAX_POLICY_CHARS)).message).toMatch(/^cors\.txt:1:1: .* is not allowed in a text configuration/);
  });

  it('bounds JSON nesting depth', () => {
    expect(parseError('['.repeat(100_000)).message).toMatch(/nesting deeper than 64 levels, in the JSON document/);
  });

  it('bounds HCL nesting depth', () => {
    expect(parseError(`resource "aws_s3_bucket" "b" {\n  x = ${'['.repeat(10_000)}\n}`).message).toMatch(/nesting deeper than 64 levels/);
  });

  it('bounds HCL interpolations nested inside strings', () => {
    expect(parseError(`resource "x" "y" {\n  a = "${'${"'.repeat(300_000)}\n}`).message).toBe(
      'cors.txt:2:200: nesting deeper than 64 levels, in a of resource "x" "y"',
    );
  });

  it('bounds YAML nesting depth', () => {
    // Refused at the 65th bracket (column 85) however many follow: the depth check stops the reader there, before
    // the yaml package recurses, so 200 000 brackets cost what 100 do.
    for (const brackets of [100, 200_000]) {
      expect(parseError(`CorsRules:\n  - AllowedOrigins: ${'['.repeat(brackets)}`).message).toBe(
        'cors.txt:2:85: nesting deeper than 64 levels, in the YAML document',
      );
    }
  });
});

describe('large configurations', () => {
  // Parse speed is measured by `npm run bench` (policy parsing: the 1000-rule / 100-rule ratio), never by a clock here.
  it('parses a 100-rule configuration in JSON, XML and Terraform back to the same rules', async () => {
    const { renderPolicy } = await import('../../../src/core/policy/index.js');
    const rules = manyRules(100);
    for (const format of ['console', 'xml', 'terraform'] as const) {
      const parsed = parsePolicy(renderPolicy({ rules }, format));
      expect(parsed.config.rules).toHaveLength(100);
      expect(parsed.config.rules[99]).toMatchObject({ allowedOrigins: rules[99]!.allowedOrigins, allowedHeaders: rules[99]!.allowedHeaders });
    }
  });
});

describe('YAML limits', () => {
  it('bounds block nesting from indentation and compact "- " indicators before the yaml package recurses', () => {
    const dashes = `CorsRules:\n  ${'- '.repeat(100_000)}x`;
    expect(() => parsePolicy(dashes)).toThrow(/2:129: nesting deeper than 64 levels, in the YAML document/);
    const indented = `CorsRules:\n${Array.from({ length: 700 }, (_, k) => `${' '.repeat(k + 1)}a:`).join('\n')}`;
    expect(() => parsePolicy(indented)).toThrow(/65:65: nesting deeper than 64 levels, in the YAML document/);
  });

  it('refuses YAML above 256 KiB (CloudFormation takes 51,200 bytes inline) before parsing it', () => {
    const big = `CorsRules:\n${'  - AllowedMethods: [GET]\n    AllowedOrigins: ["*"]\n'.repeat(6000)}`;
    expect(() => parsePolicy(big)).toThrow(/above the 262144-character limit for YAML/);
  });
});
