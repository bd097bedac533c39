/**
 * `lint <file|dir>...`: find the CORS configurations in what the user named. A named file is always read; a
 * directory is walked (dependencies, VCS and build caches skipped) and only files that can hold a configuration and
 * mention one are read: Terraform (`*.tf`, `*.tf.json`), CloudFormation/SAM templates (JSON/YAML, `*.template`),
 * CDK's synthesized `cdk.out/*.template.json`, and plain configuration files (JSON, XML; S3's forms, GCS CORS JSON and
 * Backblaze B2 corsRules). A file holding several buckets gives one configuration each.
 *
 * Choices (ours, documented in docs/ci.md): a file with no CORS configuration is skipped, not an error; a
 * configuration computed at deploy time (`!Ref`, `${var.x}`, a dynamic block) cannot be checked and is reported as
 * a COMPUTED_VALUE warning; any other unreadable configuration is a PARSE_ERROR error at its line.
 */
import { promises as fsp, type Dirent, type Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join, relative, sep } from 'node:path';
import { PolicyParseError, parsePolicy, type ParsedPolicy, type PolicyFormat } from '../core/policy/index.js';
import { InputError } from './io.js';
import { MAX_POLICY_FILE_BYTES } from './policy-input.js';

/** A problem with a file as a whole, reported like a lint finding (it has a code, a place and a message). */
export interface FileProblem {
  file: string;
  code: 'PARSE_ERROR' | 'COMPUTED_VALUE';
  severity: 'error' | 'warning';
  message: string;
  line: number;
  column: number;
}

export interface LintTargets {
  policies: ParsedPolicy[];
  problems: FileProblem[];
  /** Files read that hold no CORS configuration (shown in --format json, not in text). */
  skipped: string[];
}

/** Directories never walked: dependencies, VCS data, tool caches, CDK asset bundles. */
const SKIP_DIRECTORIES = /^(node_modules|\.git|\.hg|\.svn|\.terraform|\.terragrunt-cache|\.aws-sam|asset\..*|\.venv|venv|__pycache__)$/;

/** Names a walked directory's files must have to be read. */
const CANDIDATE_FILE = /\.(tf|tf\.json|json|ya?ml|template|xml)$/i;

/** Words every form of a configuration contains (case as each format spells them), checked before parsing. */
const CORS_MARKER =
  /cors_rule|CorsConfiguration|CorsRules|CORSRules|CORSConfiguration|CORSRule|"AllowedOrigins"|"corsRules"|"allowedOperations"|"responseHeader"|"cors_config"/;
/** A GCS CORS entry may hold only these two lists; together they mark one. */
const GCS_ENTRY = (text: string) => /"origin"\s*:\s*\[/.test(text) && /"method"\s*:\s*\[/.test(text);

/** Parse failures meaning "there is no configuration here", as opposed to "there is one and it is broken". */
const NOTHING_HERE =
  /: (no (AWS::S3::Bucket with a CorsConfiguration|aws_s3_bucket_cors_configuration \(or aws_s3_bucket with cors_rule\) resource) found|not a recognised CORS configuration|the document is empty|expected a (GCS|B2) CORS list .*; found no (cors|corsRules)\b)/;

/** Values only known at deploy time: the configuration cannot be checked from the file. */
const COMPUTED = /is not a literal value|is computed by Terraform/;

async function walk(dir: string, found: string[], limit: number): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new InputError(`${dir}: cannot read the directory (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRECTORIES.test(entry.name)) await walk(path, found, limit);
    } else if (entry.isFile() && CANDIDATE_FILE.test(entry.name)) {
      if (found.length >= limit) throw new InputError(`${dir}: more than ${limit} candidate files; name the directories that hold the configurations`);
      found.push(path);
    }
  }
}

/** At most this many files are read from the directories named (bounded work on a mistaken `lint /`). */
export const MAX_WALKED_FILES = 20_000;

function position(err: PolicyParseError): { line: number; column: number } {
  return { line: err.line ?? 1, column: err.column ?? 1 };
}

/** The message of a PolicyParseError without its `file:line:column: ` prefix (the place is reported apart). */
function bareMessage(err: PolicyParseError): string {
  const prefix = [err.file ?? '<input>', err.line, err.column].filter((p) => p !== undefined).join(':');
  return err.message.startsWith(`${prefix}: `) ? err.message.slice(prefix.length + 2) : err.message;
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  const shown = rel === '' || rel.startsWith('..') ? path : rel;
  return sep === '\\' ? shown.replace(/\\/g, '/') : shown;
}

/** Reads every configuration in one file; `explicit` when the user named the file (then "nothing here" is said). */
async function readFileTargets(path: string, file: string, explicit: boolean, format: PolicyFormat | undefined, out: LintTargets): Promise<void> {
  let bytes: Buffer;
  try {
    const info = await fsp.stat(path);
    if (info.size > MAX_POLICY_FILE_BYTES) {
      if (explicit) throw new InputError(`${file}: larger than ${MAX_POLICY_FILE_BYTES} bytes, the limit for a file holding a CORS configuration`);
      out.skipped.push(file);
      return;
    }
    bytes = await fsp.readFile(path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read (${code ?? 'error'})`}`);
  }
  if (!isUtf8(bytes)) {
    if (explicit) throw new InputError(`${file}: not UTF-8 text (binary data?)`);
    out.skipped.push(file);
    return;
  }
  const text = bytes.toString('utf8');
  if (!explicit && !CORS_MARKER.test(text) && !GCS_ENTRY(text)) {
    out.skipped.push(file);
    return;
  }
  const parse = (resource?: string): ParsedPolicy | undefined => {
    try {
      return parsePolicy(text, { file, format, resource });
    } catch (err) {
      if (!(err instanceof PolicyParseError)) throw err;
      if (NOTHING_HERE.test(err.message)) {
        out.skipped.push(file);
        return undefined;
      }
      const computed = COMPUTED.test(err.message);
      out.problems.push({
        file,
        code: computed ? 'COMPUTED_VALUE' : 'PARSE_ERROR',
        severity: computed ? 'warning' : 'error',
        message: computed ? `cannot be checked before deployment: ${bareMessage(err)}` : bareMessage(err),
        ...position(err),
      });
      return undefined;
    }
  };
  const first = parse();
  if (!first) return;
  const resources = first.resources ?? [];
  if (resources.length <= 1) {
    out.policies.push(first);
    return;
  }
  // Several buckets in one file: each is its own configuration (read by name, so no "only the first" note).
  for (const resource of resources) {
    const policy = parse(resource);
    if (policy) out.policies.push(policy);
  }
}

/** The configurations in the files and directories named, in the order named (directories in name order). */
export async function findLintTargets(paths: string[], options: { cwd: string; format?: PolicyFormat }): Promise<LintTargets> {
  const out: LintTargets = { policies: [], problems: [], skipped: [] };
  const seen = new Set<string>();
  for (const path of paths) {
    let info: Stats;
    try {
      info = await fsp.stat(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(`${path}: ${code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? 'error'})`}`);
    }
    if (info.isDirectory()) {
      const files: string[] = [];
      await walk(path, files, MAX_WALKED_FILES);
      for (const found of files) {
        if (seen.has(found)) continue;
        seen.add(found);
        await readFileTargets(found, displayPath(found, options.cwd), false, options.format, out);
      }
    } else {
      if (seen.has(path)) continue;
      seen.add(path);
      await readFileTargets(path, displayPath(path, options.cwd), true, options.format, out);
    }
  }
  return out;
}
