/**
 * `npm run bench [-- word…]`: every benchmark module registers itself when imported. To add one, add its import line here.
 * Words after `--` run only the benchmarks whose name contains one of them (e.g. `npm run bench -- busy`).
 */
import { runRegisteredBenchmarks } from './harness.ts';
import './simulate.ts';
import './har.ts';
import './capture-pipeline.ts';
import './panel.ts';

await runRegisteredBenchmarks((text) => process.stdout.write(text), process.argv.slice(2));
