/**
 * `npm run bench`: every benchmark module registers itself when imported. To add one, add its import line here.
 */
import { runRegisteredBenchmarks } from './harness.ts';
import './simulate.ts';
import './har.ts';
import './panel.ts';
import './redact.ts';
import './policy.ts';
import './cold-start.ts';

await runRegisteredBenchmarks((text) => process.stdout.write(text));
