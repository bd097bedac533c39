/**
 * The CLI build's stand-in for the `yaml` package (vite.config.ts aliases `yaml` to this file in `--mode cli`):
 * the core's YAML reader imports `yaml` statically, but only CloudFormation/SAM templates written in YAML need it,
 * and loading it costs about as much as Node's own start-up. Here each export loads the real package on first use
 * (synchronously, through require), so `lint` of a JSON file or `explain` never loads it. Only the names the core
 * uses are provided; the build fails on a missing one.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;
const yaml = (): typeof Yaml => (loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml);

export const parseDocument: typeof Yaml.parseDocument = ((...args: Parameters<typeof Yaml.parseDocument>) =>
  yaml().parseDocument(...args)) as typeof Yaml.parseDocument;
export const isAlias: typeof Yaml.isAlias = ((node: unknown) => yaml().isAlias(node)) as typeof Yaml.isAlias;
export const isMap: typeof Yaml.isMap = ((node: unknown) => yaml().isMap(node)) as typeof Yaml.isMap;
export const isScalar: typeof Yaml.isScalar = ((node: unknown) => yaml().isScalar(node)) as typeof Yaml.isScalar;
export const isSeq: typeof Yaml.isSeq = ((node: unknown) => yaml().isSeq(node)) as typeof Yaml.isSeq;
/** `new LineCounter()`: a constructor returning an object gives that object to `new`. */
export const LineCounter = function LineCounter() {
  return new (yaml().LineCounter)();
} as unknown as typeof Yaml.LineCounter;
