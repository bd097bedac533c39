/**
 * Reads the output of `aws configure export-credentials` so a user can paste it instead of copying three values
 * by hand. Every `--format` the AWS CLI offers is accepted: `env` (`export NAME=value`), `env-no-export`,
 * `powershell` (`$Env:NAME="value"`) and `windows-cmd` (`set NAME=value`). Error messages name the line but never
 * echo a value, since the input is a secret.
 */
import type { Credentials } from '../model.js';

export type CredentialsParseResult = { ok: true; credentials: Credentials; expiresAt?: string } | { ok: false; error: string };

const ASSIGNMENT = /^\s*(?:export\s+|set\s+|\$env:)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*;?\s*$/i;

function unquote(raw: string): string {
  const quoted = /^(['"])(.*)\1$/.exec(raw);
  return quoted ? (quoted[2] ?? '') : raw;
}

export function parseExportedCredentials(text: string): CredentialsParseResult {
  const values = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const match = ASSIGNMENT.exec(line);
    if (!match) return { ok: false, error: `line ${index + 1}: expected NAME=value (as printed by aws configure export-credentials)` };
    values.set((match[1] ?? '').toUpperCase(), unquote(match[2] ?? ''));
  }
  const accessKeyId = values.get('AWS_ACCESS_KEY_ID');
  const secretAccessKey = values.get('AWS_SECRET_ACCESS_KEY');
  if (!accessKeyId) return { ok: false, error: 'AWS_ACCESS_KEY_ID is missing' };
  if (!secretAccessKey) return { ok: false, error: 'AWS_SECRET_ACCESS_KEY is missing' };
  const credentials: Credentials = { accessKeyId, secretAccessKey };
  const sessionToken = values.get('AWS_SESSION_TOKEN');
  if (sessionToken) credentials.sessionToken = sessionToken;
  const region = values.get('AWS_REGION') ?? values.get('AWS_DEFAULT_REGION');
  if (region) credentials.region = region;
  const expiresAt = values.get('AWS_CREDENTIAL_EXPIRATION');
  return expiresAt ? { ok: true, credentials, expiresAt } : { ok: true, credentials };
}
