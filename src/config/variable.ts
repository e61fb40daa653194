/**
 * The building blocks of the configuration schema: `variable()` states one environment
 * variable once — its zod type, its default (as the string an operator would write), its
 * description and whether it is a secret — and records that in `VARIABLES` for the generated
 * reference (`docs/configuration.md`, `.env.example`) and for secret redaction.
 */
import { z } from 'zod';

/** What the reference page and `.env.example` say about one variable. */
export interface VariableMeta {
  /** One sentence or two, Markdown allowed; the first line also heads `.env.example`'s entry. */
  readonly description: string;
  /** The value used when unset or empty, as written in the environment; undefined: none. */
  readonly default: string | undefined;
  /** Shown instead of a missing default (e.g. "timeout × (retries + 1)"). */
  readonly defaultNote?: string;
  /** A secret: its value is redacted from logs, provider text, error bodies and the audit trail. */
  readonly secret: boolean;
}

/** Every variable's metadata, keyed by its zod schema. */
export const VARIABLES = z.registry<VariableMeta>();

export interface VariableOptions {
  readonly description: string;
  readonly default?: string;
  readonly defaultNote?: string;
  readonly secret?: true;
}

/**
 * One environment variable with a default: the default string is parsed by `schema` like any
 * value (zod's `prefault`), so a default that would not parse fails every start, not one.
 */
export function variable<T extends z.ZodType>(
  schema: T,
  options: VariableOptions & { readonly default: string },
): z.ZodPrefault<T>;
/** One environment variable without a default: undefined when unset. */
export function variable<T extends z.ZodType>(
  schema: T,
  options: VariableOptions & { readonly default?: undefined },
): z.ZodOptional<T>;
export function variable<T extends z.ZodType>(
  schema: T,
  options: VariableOptions,
): z.ZodPrefault<T> | z.ZodOptional<T> {
  const wrapped =
    options.default === undefined
      ? schema.optional()
      : schema.prefault(options.default as z.input<T>);
  return wrapped.register(VARIABLES, {
    description: options.description,
    default: options.default,
    ...(options.defaultNote === undefined ? {} : { defaultNote: options.defaultNote }),
    secret: options.secret === true,
  });
}

/** The metadata of a schema made by `variable()`; throws for any other schema. */
export function metaOf(schema: z.core.$ZodType): VariableMeta {
  const meta = VARIABLES.get(schema);
  if (meta === undefined) throw new Error('a configuration variable was not made by variable()');
  return meta;
}

/** A slice's variables with their metadata, in the slice's order. */
export function variablesOf(slice: { readonly env: z.ZodRawShape }): [string, VariableMeta][] {
  const env: z.ZodRawShape = slice.env;
  return Object.keys(env).map((name) => {
    const schema = env[name];
    if (schema === undefined) throw new Error(`${name}: no schema`);
    return [name, metaOf(schema)];
  });
}

// ---- value types shared by the slices --------------------------------------------------------

export const bool = () =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      error: 'must be one of true, false, 1, 0, yes, no',
    })
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const port = () =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be an integer')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535');

export const positiveInt = () =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .positive('must be positive');

/** An integer in [min, max]. */
export const intBetween = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

export const text = () => z.string().min(1);

export const httpUrl = () => z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** A string matching `pattern`, else `message` (e.g. a URL of given schemes). */
export const matching = (pattern: RegExp, message: string) =>
  z.string().refine((value) => pattern.test(value), { message });

/** Comma-separated items, trimmed, empties dropped. */
export const commaList = (map: (item: string) => string = (item) => item) =>
  z.string().transform((list) =>
    list
      .split(',')
      .map((item) => map(item.trim()))
      .filter((item) => item !== ''),
  );

/** Comma-separated numbers. */
export const numberList = () =>
  z.string().transform((list) => list.split(',').map((item) => Number(item.trim())));

/** The parsed values of one slice's variables. */
export type SliceEnv<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;

export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/**
 * One feature's part of the configuration: its variables (`env`), what it adds to `Config`
 * (`config`) and the checks that involve several of its variables together (`problems`).
 */
export interface Slice<S extends z.ZodRawShape, C> {
  /** Heading of the slice's section in the reference page and `.env.example`. */
  readonly title: string;
  readonly env: S;
  /** Who reads the variables when `Config` does not carry them (then `config` adds nothing). */
  readonly readBy?: string;
  readonly config: (env: SliceEnv<S>) => C;
  readonly problems?: (env: SliceEnv<S>) => ConfigProblem[];
}

export function defineSlice<S extends z.ZodRawShape, C>(slice: Slice<S, C>): Slice<S, C> {
  return slice;
}
