import { UsageError } from './io.js';

export interface FlagSpec {
  /** Takes a value (`--method PUT`); otherwise a boolean switch. */
  value?: boolean;
  /** May be given several times (values collected in order). */
  repeat?: boolean;
  /** One-letter alias, without the dash. */
  short?: string;
}

export interface ParsedArgs {
  flags: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
}

/** A small strict argv parser: unknown flags and missing values are usage errors (exit 2). */
export function parseArgs(argv: string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(spec).flatMap(([n, s]): Array<[string, string]> => (s.short ? [[s.short, n]] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === undefined) break;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
    } else if (arg.startsWith('-') && arg.length === 2 && arg !== '-') {
      name = byShort.get(arg.slice(1));
      if (!name) throw new UsageError(`unknown option ${arg}`);
    } else {
      positionals.push(arg);
      continue;
    }
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option --${name}`);
    let value: string | boolean = true;
    if (s.value) {
      if (inline !== undefined) value = inline;
      else {
        const next = argv[i + 1];
        if (next === undefined) throw new UsageError(`--${name} needs a value`);
        value = next;
        i++;
      }
    } else if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
    if (s.repeat) {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(String(value));
      flags[name] = list;
    } else {
      if (flags[name] !== undefined) throw new UsageError(`--${name} given twice`);
      flags[name] = value;
    }
  }
  return { flags, positionals };
}

/** The one positional argument a command takes; `missing` is the usage error when there is none. */
export function onlyPositional(args: ParsedArgs, missing: string): string {
  const [first, extra] = args.positionals;
  if (first === undefined) throw new UsageError(missing);
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  return first;
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireFlag(args: ParsedArgs, name: string): string {
  const v = stringFlag(args, name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}

export function listFlag(args: ParsedArgs, name: string): string[] {
  const v = args.flags[name];
  return Array.isArray(v) ? v : [];
}

export function boolFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}
