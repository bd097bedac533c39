/**
 * `lint` output for machines: one flat list of findings over every configuration, written as SARIF 2.1.0 (GitHub
 * code scanning and other SARIF viewers) or as GitHub Actions workflow commands (annotations at file and line).
 */
// Synchronous read (a finding page is a few kB): node:fs/promises costs more to load than a small lint spends reading.
import { readFileSync } from 'node:fs';
import type { LintResult, ParsedPolicy } from '../core/policy/index.js';
import { findingsDirectory } from './findings-docs.js';
import type { FileProblem } from './lint-targets.js';

export interface FlatFinding {
  file: string;
  /** The bucket/resource inside the file (`Resources.Site`, `aws_s3_bucket_cors_configuration.site`), if any. */
  resource: string | null;
  code: string;
  severity: 'error' | 'warning';
  message: string;
  fix: string | null;
  line: number;
  column: number;
}

/** Every error and warning of every configuration, at a line (the rules' start when S3's error names no element). */
export function flattenFindings(linted: Array<{ policy: ParsedPolicy; result: LintResult }>, problems: FileProblem[]): FlatFinding[] {
  const out: FlatFinding[] = [];
  for (const { policy, result } of linted) {
    const file = policy.file ?? '<input>';
    const fallback = policy.rulesPosition ?? { line: 1, column: 1 };
    const at = (line?: number, column?: number) => (line === undefined ? fallback : { line, column: column ?? 1 });
    for (const e of result.errors) {
      const message = e.detail ? `${e.message} — ${e.detail}` : e.message;
      out.push({ file, resource: policy.resource ?? null, code: e.code, severity: 'error', message, fix: null, ...at(e.line, e.column) });
    }
    for (const w of result.warnings) {
      out.push({ file, resource: policy.resource ?? null, code: w.code, severity: 'warning', message: w.message, fix: w.fix, ...at(w.line, w.column) });
    }
  }
  for (const p of problems) {
    out.push({ file: p.file, resource: null, code: p.code, severity: p.severity, message: p.message, fix: null, line: p.line, column: p.column });
  }
  return out;
}

/** The page of a code, if it has one: its title (first heading) and text. */
async function findingPage(code: string): Promise<{ title: string; text: string } | null> {
  if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(code)) return null;
  try {
    const text = readFileSync(new URL(`${code}.md`, findingsDirectory()), 'utf8');
    const title = /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? code;
    return { title, text };
  } catch {
    return null;
  }
}

/** A SARIF 2.1.0 log (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), one run, one rule per code. */
export async function sarifLog(findings: FlatFinding[], version: string): Promise<object> {
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const rules = await Promise.all(
    codes.map(async (code) => {
      const page = await findingPage(code);
      const rule: Record<string, unknown> = {
        id: code,
        name: code,
        shortDescription: { text: page?.title ?? code },
        help: { text: `Run \`s3-cors-doctor docs ${code}\` for the cause and the fix.`, ...(page ? { markdown: page.text } : {}) },
      };
      return rule;
    }),
  );
  const results = findings.map((f) => {
    const text = [f.message, f.fix ? `Fix: ${f.fix}` : '', f.resource ? `(in ${f.resource})` : ''].filter(Boolean).join(' ');
    return {
      ruleId: f.code,
      ruleIndex: codes.indexOf(f.code),
      level: f.severity,
      message: { text },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(f.file.replace(/\\/g, '/')), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line, startColumn: f.column },
          },
        },
      ],
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 's3-cors-doctor', version, semanticVersion: version, rules } },
        results,
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
}

/** GitHub workflow-command escaping: data escapes %, CR, LF; properties also `:` and `,`. */
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One `::error …::` / `::warning …::` line per finding (GitHub Actions shows them on the file and line). */
export function githubAnnotations(findings: FlatFinding[]): string {
  return findings
    .map((f) => {
      const props = [`file=${escapeProperty(f.file)}`, `line=${f.line}`, `col=${f.column}`, `title=${escapeProperty(`S3 CORS ${f.code}`)}`].join(',');
      const text = [f.message, f.fix ? `Fix: ${f.fix}` : '', `More: s3-cors-doctor docs ${f.code}`].filter(Boolean).join('\n');
      return `::${f.severity} ${props}::${escapeData(text)}\n`;
    })
    .join('');
}
