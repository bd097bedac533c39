/**
 * `npm run bench [-- word…]`: every benchmark module registers itself when imported. To add one, add its import line here.
 * Words after `--` run only the benchmarks whose name contains one of them (e.g. `npm run bench -- busy`).
 */
import { runRegisteredBenchmarks } from './harness.ts';
import './simulate.ts';
import './har.ts';
import './capture-pipeline.ts';
import './panel.ts';
import './redact.ts';
import './policy.ts';
import './cold-start.ts';

// Words after `--` (or BENCH_ONLY=<text>) pick benchmarks by name.
await runRegisteredBenchmarks((text) => process.stdout.write(text), [...process.argv.slice(2), ...(process.env.BENCH_ONLY ? [process.env.BENCH_ONLY] : [])]);
