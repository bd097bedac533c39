/**
 * The fix as the user wants to paste it: a configuration rendered in the chosen form (console JSON, CLI command,
 * XML, CloudFormation, Terraform, CDK) or as a diff against the bucket's current configuration. Rendering belongs to
 * the policy core; a renderer that throws becomes an inline message rather than a broken panel.
 */
import { diffPolicies, renderPolicy, type CorsConfiguration, type CorsRule, type RenderFormat } from '../../core/policy/index.js';

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

export type Rendered = { ok: true; text: string } | { ok: false; error: string };

function attempt(render: () => string): Rendered {
  try {
    return { ok: true, text: render() };
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
  if (view === 'diff') return attempt(() => diffPolicies(current, config));
  return attempt(() => renderPolicy(config, view, { bucket: bucket || undefined }));
}

/** The `aws s3api put-bucket-cors` command that applies the configuration. */
export function renderApplyCommand(rules: CorsRule[], bucket: string): Rendered {
  return attempt(() => renderPolicy({ rules }, 'cli', { bucket: bucket || undefined }));
}
