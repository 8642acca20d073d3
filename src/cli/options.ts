// A small table-driven parser for the CLI: every option is declared once with its type, default, range
// and help line; bad input becomes a UsageError whose one-line message the command prints before exit 2.

/** A bad command line: the CLI prints its message alone and exits with status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure with its own exit status (e.g. 3 for a diverged run); the CLI prints its one-line message. */
export class ExitError extends Error {
  override name = 'ExitError';
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

/** `fraction`: a number written plainly or as a ratio (8/255). `ints`: comma-separated whole numbers (5,1), `count` of them. */
type Kind = 'string' | 'int' | 'number' | 'flag' | 'choice' | 'fraction' | 'ints';

export interface OptionSpec {
  kind: Kind;
  help: string;
  default?: string | number | boolean;
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** Name of the value in --help, e.g. PATH. */
  meta?: string;
  /** For `ints`: how many numbers the value holds. */
  count?: number;
}

export type OptionTable = Record<string, OptionSpec>;
export type OptionValues = Record<string, string | number | boolean | number[] | undefined>;

/** Parse argv (without node and script) against the table. Throws UsageError on anything unknown or out of range. */
export function parseOptions(argv: string[], table: OptionTable): OptionValues {
  const values: OptionValues = {};
  for (const [name, spec] of Object.entries(table)) {
    // a fraction's default may be written as a ratio for --help ('8/255'); the value is its number
    values[name] = spec.kind === 'fraction' && typeof spec.default === 'string' ? convert(name, spec.default, spec) : spec.default;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}' (options start with --; see --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const spec = table[name];
    if (!spec) throw new UsageError(`unknown option --${name} (see --help)`);
    if (spec.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      values[name] = true;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      raw = argv[++i];
    }
    values[name] = convert(name, raw, spec);
  }
  return values;
}

/** The names of the options written out on the command line (as opposed to taking their defaults). */
export function listGivenOptions(argv: string[], table: OptionTable): Set<string> {
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) continue;
    const eq = argv[i].indexOf('=');
    const name = argv[i].slice(2, eq >= 0 ? eq : undefined);
    if (!table[name]) continue;
    given.add(name);
    if (table[name].kind !== 'flag' && eq < 0) i++; // skip the value
  }
  return given;
}

function convert(name: string, raw: string, spec: OptionSpec): string | number | number[] {
  if (spec.kind === 'string') {
    if (raw === '') throw new UsageError(`--${name} needs a non-empty value`);
    return raw;
  }
  if (spec.kind === 'choice') {
    if (!spec.choices?.includes(raw)) throw new UsageError(`--${name} must be one of ${spec.choices?.join(', ')} (got '${raw}')`);
    return raw;
  }
  if (spec.kind === 'ints') return convertInts(name, raw, spec);
  const value = spec.kind === 'fraction' ? parseFraction(raw) : Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(`--${name} must be a number${spec.kind === 'fraction' ? ' or a ratio like 8/255' : ''} (got '${raw}')`);
  }
  if (spec.kind === 'int' && !Number.isInteger(value)) throw new UsageError(`--${name} must be a whole number (got '${raw}')`);
  if (spec.min !== undefined && value < spec.min) throw new UsageError(`--${name} must be at least ${spec.min} (got ${raw})`);
  if (spec.max !== undefined && value > spec.max) throw new UsageError(`--${name} must be at most ${spec.max} (got ${raw})`);
  return value;
}

/** '8/255' → 8/255, '0.03' → 0.03; NaN for anything else. */
function parseFraction(raw: string): number {
  const parts = raw.split('/');
  if (parts.length === 1) return Number(raw);
  if (parts.length !== 2 || parts.some((p) => p.trim() === '')) return NaN;
  const [num, den] = parts.map(Number);
  return den === 0 ? NaN : num / den;
}

function convertInts(name: string, raw: string, spec: OptionSpec): number[] {
  const parts = raw.split(',');
  const values = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  const shape = `${spec.count ?? 'some'} comma-separated whole numbers${spec.meta ? ` (${spec.meta})` : ''}`;
  if ((spec.count !== undefined && values.length !== spec.count) || values.some((v) => !Number.isInteger(v))) {
    throw new UsageError(`--${name} must be ${shape} (got '${raw}')`);
  }
  for (const v of values) {
    if (spec.min !== undefined && v < spec.min) throw new UsageError(`--${name}: each number must be at least ${spec.min} (got ${raw})`);
    if (spec.max !== undefined && v > spec.max) throw new UsageError(`--${name}: each number must be at most ${spec.max} (got ${raw})`);
  }
  return values;
}

/** Help text: a usage line, then one line per option with its default and range. */
export function formatHelp(usage: string, table: OptionTable): string {
  const rows = Object.entries(table).map(([name, spec]) => {
    const meta = spec.kind === 'flag' ? '' : ` ${spec.meta ?? (spec.kind === 'choice' ? spec.choices?.join('|') : spec.kind === 'string' ? 'TEXT' : 'N')}`;
    const notes: string[] = [];
    if (spec.default !== undefined && spec.kind !== 'flag') notes.push(`default ${spec.default}`);
    if (spec.min !== undefined || spec.max !== undefined) notes.push(`range ${spec.min ?? '-∞'}..${spec.max ?? '∞'}`);
    return [`  --${name}${meta}`, spec.help + (notes.length ? ` (${notes.join('; ')})` : '')];
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [usage, '', 'Options:', ...rows.map(([left, right]) => left.padEnd(width) + right)].join('\n');
}

/**
 * Run a CLI entry point: UsageError → one line on stderr and exit 2; ExitError → one line and its exit status;
 * any other error → one line (no stack trace unless OPL_DEBUG is set) and exit 1.
 */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof UsageError || err instanceof ExitError) {
        process.stderr.write(`error: ${message}\n`);
        process.exit(err instanceof ExitError ? err.exitCode : 2);
      }
      process.stderr.write(`error: ${message}\n`);
      if (process.env.OPL_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
      process.exit(1);
    },
  );
}
