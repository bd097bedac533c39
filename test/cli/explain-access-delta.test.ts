/** `explain` on the worst misdiagnosis of issue 10: a `*` read rule beside a near-miss rule for the page origin. */
import { runCli } from './run-cli.js';

const APP = 'https://app.example.com';
const OBJECT = 'https://photos.s3.us-east-1.amazonaws.com/uploads/photo.jpg';
const CONFIG = JSON.stringify([
  { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
  { AllowedOrigins: ['http://app.example.com/'], AllowedMethods: ['POST'], AllowedHeaders: ['content-type'] },
]);
const ARGS = ['explain', '--config', '-', '--url', OBJECT, '--origin', APP, '--method', 'POST', '--header', 'Content-Type: application/json'];

describe('explain: a fix that corrects the near-miss rule, with its access delta', () => {
  it('text: names the rule meant, corrects its origin, and says the page origin alone gains POST', async () => {
    const { code, stdout } = await runCli(ARGS, { stdin: CONFIG });
    expect(code).toBe(0);
    expect(stdout).toContain('ORIGIN_NOT_ALLOWED: No rule allows the origin `https://app.example.com`; nearest: rule 2:');
    expect(stdout).not.toContain('METHOD_NOT_ALLOWED');
    expect(stdout).toContain('  + correct `http://app.example.com/` to `https://app.example.com` in the AllowedOrigins of rule 2');
    expect(stdout).toContain('  Access it adds: Newly allowed: `https://app.example.com` may now send POST (no extra header, content-type). Nothing else.');
  });

  it('JSON: fix.accessDelta lists exactly what is newly allowed', async () => {
    const { code, stdout } = await runCli([...ARGS, '--json'], { stdin: CONFIG });
    expect(code).toBe(0);
    const fix = JSON.parse(stdout).fix;
    expect(fix.config[0]).toEqual({ AllowedMethods: ['GET'], AllowedOrigins: ['*'] });
    expect(fix.config[1].AllowedOrigins).toEqual([APP]);
    expect(fix.accessDelta.withinRequest).toBe(true);
    expect(fix.accessDelta.allows).toEqual([
      { origin: APP, method: 'POST', header: null },
      { origin: APP, method: 'POST', header: 'content-type' },
    ]);
  });
});
