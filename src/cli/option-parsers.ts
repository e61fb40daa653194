/**
 * Parsers of the command line's option values (commander's `argParser`s). Numbers are read
 * strictly, as a user writes them in decimal: `Number()` alone would take `0x10` (16), `1e2`
 * (100), `0b1`, `" 5 "` and `""` (0), so a typo could become a different exit code, pass rate
 * or repeat count. Each parser throws commander's InvalidArgumentError, which commander prints
 * as one line naming the option (exit 2).
 */
import { InvalidArgumentError } from 'commander';
import { isSupportedOutput, OUTPUT_EXTENSIONS } from './report-writers.js';

const DECIMAL_INTEGER = /^\d{1,15}$/;
const DECIMAL_NUMBER = /^(?:\d{1,15}(?:\.\d{1,15})?|\.\d{1,15})$/;

/** `text` as a non-negative decimal integer (digits only), or undefined. */
export function decimalInteger(text: string): number | undefined {
  return DECIMAL_INTEGER.test(text) ? Number(text) : undefined;
}

/** `text` as a non-negative decimal number (`0.8`, `.5`, `1`; no sign, exponent or hex). */
export function decimalNumber(text: string): number | undefined {
  return DECIMAL_NUMBER.test(text) ? Number(text) : undefined;
}

/** A count of at least 1 (`--repeat`, `-j/--max-concurrency`). */
export function positiveInt(value: string): number {
  const n = decimalInteger(value);
  if (n === undefined || n < 1)
    throw new InvalidArgumentError(`"${value}" is not a positive decimal integer`);
  return n;
}

/** A rate or level from 0 to 1 (`--fail-under`, `--alpha`), in decimal notation. */
export function fraction(value: string): number {
  const n = decimalNumber(value);
  if (n === undefined || n > 1)
    throw new InvalidArgumentError(`"${value}" is not a decimal number from 0 to 1`);
  return n;
}

/** The exit code of `--exit-code-on-failure`: a decimal integer 0–255 (0 as promptfoo allows). */
export function exitCode(value: string): number {
  const n = decimalInteger(value);
  if (n === undefined || n > 255)
    throw new InvalidArgumentError(`"${value}" is not a decimal integer from 0 to 255`);
  return n;
}

/** A JavaScript regular expression (`--filter-pattern`). */
export function regex(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch {
    throw new InvalidArgumentError('must be a regular expression');
  }
}

/** A repeatable `-o` report path with a known extension. */
export function outputPath(value: string, previous: string[] = []): string[] {
  if (!isSupportedOutput(value))
    throw new InvalidArgumentError(`must end in ${OUTPUT_EXTENSIONS.join(', ')}`);
  return [...previous, value];
}

/** A comma-separated list, repeatable (`--models a,b --models c`). */
export function list(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  ];
}
