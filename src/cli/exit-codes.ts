/**
 * The exit code of a failed evaluation (a threshold or the baseline failed): 1 by default;
 * `--exit-code-on-failure <n>`, else promptfoo's PROMPTFOO_FAILED_TEST_EXIT_CODE, replaces it
 * (promptfoo's own default is 100). Only that 1 is replaced: 0 stays 0 and 2 (bad suite,
 * option or configuration) stays 2. The code is a decimal integer 0–255 as the shell keeps it
 * (0 reports failures without failing the step, as in promptfoo); `0x10`, `1e2`, `-1` or `256`
 * are refused rather than read as another number.
 */
import { decimalInteger } from './option-parsers.js';
import { CommandError } from './server-commands.js';

export const FAILED_TEST_EXIT_CODE_VARIABLE = 'PROMPTFOO_FAILED_TEST_EXIT_CODE';

/** `text` as an exit code (a decimal integer 0–255), or undefined. */
export function parseExitCode(text: string): number | undefined {
  const n = decimalInteger(text);
  return n !== undefined && n <= 255 ? n : undefined;
}

/**
 * The exit code for a failed evaluation: the option's, else the variable's, else 1.
 * @throws CommandError (exit 2) when the variable is set to anything but a decimal 0–255.
 */
export function failureExitCode(
  option: number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (option !== undefined) return option;
  const raw = env[FAILED_TEST_EXIT_CODE_VARIABLE]?.trim();
  if (raw === undefined || raw === '') return 1;
  const value = parseExitCode(raw);
  if (value === undefined)
    throw new CommandError(
      `${FAILED_TEST_EXIT_CODE_VARIABLE}="${raw}": must be a decimal integer from 0 to 255`,
    );
  return value;
}

/** The evaluation's code (0, 1 or 2) with 1 replaced by the failure code. */
export function withFailureCode(code: number, failure: number): number {
  return code === 1 ? failure : code;
}
