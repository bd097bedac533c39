/**
 * renderFix (src/panel/view/fix.ts) with the real renderers: the text is what the policy core renders for the form,
 * and the notes (what the form leaves out) show only for rules read from a provider's own form.
 */
import { parsePolicy, renderPolicy, renderPolicyWithNotes } from '../../src/core/policy/index.js';
import { renderFix } from '../../src/panel/view/fix.js';

const B2 =
  '{"corsRules": [{"corsRuleName": "uploads", "allowedOrigins": ["https://app.example"], "allowedOperations": ["s3_put", "b2_upload_file"], "maxAgeSeconds": 3600}]}';
const S3 = '{"CORSRules": [{"AllowedOrigins": ["https://app.example"], "AllowedMethods": ["PUT"], "AllowedHeaders": ["*"]}]}';

describe('the Fix tab renders a fix', () => {
  it('for B2 rules in an S3 form: the rendered text and the notes of that one rendering', () => {
    const rules = parsePolicy(B2).config.rules;
    const expected = renderPolicyWithNotes({ rules }, 'terraform', { bucket: 'photos' });
    expect(expected.notes.length).toBeGreaterThan(0);
    expect(renderFix({ rules, view: 'terraform', bucket: 'photos', current: null })).toEqual({ ok: true, text: expected.text, notes: expected.notes });
  });

  it('for S3 rules: the text, no notes', () => {
    const rules = parsePolicy(S3).config.rules;
    expect(renderFix({ rules, view: 'cli', bucket: 'photos', current: null })).toEqual({
      ok: true,
      text: renderPolicy({ rules }, 'cli', { bucket: 'photos' }),
      notes: [],
    });
  });
});
