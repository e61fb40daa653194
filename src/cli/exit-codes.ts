/**
 * The exit code of a failed evaluation (a threshold or the baseline failed): 1 by default;
 * `--exit-code-on-failure <n>`, else promptfoo's PROMPTFOO_FAILED_TEST_EXIT_CODE, replaces it
 * (promptfoo's own default is 100). Only that 1 is replaced: 0 stays 0 and 2 (bad suite,
 * option or configuration) stays 2. The code must be an integer 1–255 (0 would turn a failure
 * into success; the shell keeps only the low 8 bits).
 */
import { CommandError } from './server-commands.js';

export const FAILED_TEST_EXIT_CODE_VARIABLE = 'PROMPTFOO_FAILED_TEST_EXIT_CODE';

/** Whether `value` is an exit code a failure may use: an integer 1–255. */
export function isFailureExitCode(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 255;
}

/**
 * The exit code for a failed evaluation: the option's, else the variable's, else 1.
 * @throws CommandError (exit 2) when the variable is set to anything but an integer 1–255.
 */
export function failureExitCode(
  option: number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (option !== undefined) return option;
  const raw = env[FAILED_TEST_EXIT_CODE_VARIABLE]?.trim();
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!isFailureExitCode(value))
    throw new CommandError(
      `${FAILED_TEST_EXIT_CODE_VARIABLE}="${raw}": must be an integer from 1 to 255`,
    );
  return value;
}

/** The evaluation's code (0, 1 or 2) with 1 replaced by the failure code. */
export function withFailureCode(code: number, failure: number): number {
  return code === 1 ? failure : code;
}
