/**
 * The fix as the user wants to paste it: a configuration rendered in the chosen form (console JSON, CLI command,
 * XML, CloudFormation, Terraform, CDK) or as a diff against the bucket's current configuration. Rendering belongs to
 * the policy core; a renderer that throws becomes an inline message rather than a broken panel.
 */
import { diffPolicies, renderPolicy, renderPolicyWithNotes, type CorsConfiguration, type CorsRule, type RenderFormat } from '../../core/policy/index.js';

export type FixView = RenderFormat | 'diff';

export const FIX_VIEWS: ReadonlyArray<{ id: FixView; label: string }> = [
  { id: 'console', label: 'S3 console' },
  { id: 'cli', label: 'AWS CLI' },
  { id: 'xml', label: 'XML' },
  { id: 'cloudformation', label: 'CloudFormation' },
  { id: 'terraform', label: 'Terraform' },
  { id: 'cdk', label: 'CDK' },
  { id: 'diff', label: 'Diff' },
];

/** The views of the providers' own forms, offered when the configuration was given in one (GCS JSON, B2 corsRules). */
export const PROVIDER_FIX_VIEWS: ReadonlyArray<{ id: 'gcs' | 'b2'; label: string }> = [
  { id: 'gcs', label: 'GCS' },
  { id: 'b2', label: 'Backblaze B2' },
];

/** The provider form rules were read from (GCS JSON, B2 corsRules), or null for S3's forms. */
export function providerFormOf(rules: readonly CorsRule[]): 'gcs' | 'b2' | null {
  return rules.find((rule) => rule.provider !== undefined)?.provider?.form ?? null;
}

/** `notes`: what the form cannot express or does differently (e.g. B2 native operations left out of an S3 form). */
export type Rendered = { ok: true; text: string; notes: string[] } | { ok: false; error: string };

function attempt(render: () => string | { text: string; notes: string[] }): Rendered {
  try {
    const out = render();
    return typeof out === 'string' ? { ok: true, text: out, notes: [] } : { ok: true, text: out.text, notes: out.notes };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export interface RenderFixInput {
  rules: CorsRule[];
  view: FixView;
  bucket: string;
  /** The bucket's configuration as known (for the diff); null when it has none or it is unknown. */
  current: CorsConfiguration | null;
}

export function renderFix({ rules, view, bucket, current }: RenderFixInput): Rendered {
  const config: CorsConfiguration = { rules };
  // A configuration given in a provider's form is compared in that form, where everything it holds shows.
  if (view === 'diff') return attempt(() => diffPolicies(current, config, providerFormOf(current?.rules ?? rules) ?? 'console'));
  const options = { bucket: bucket || undefined };
  // Notes only for rules read from a provider's form: what another form leaves out of them, how to apply its own.
  return attempt(() => {
    const rendered = renderPolicyWithNotes(config, view, options);
    return { text: rendered.text, notes: providerFormOf(rules) ? rendered.notes : [] };
  });
}

/** The `aws s3api put-bucket-cors` command that applies the configuration. */
export function renderApplyCommand(rules: CorsRule[], bucket: string): Rendered {
  return attempt(() => renderPolicy({ rules }, 'cli', { bucket: bucket || undefined }));
}
