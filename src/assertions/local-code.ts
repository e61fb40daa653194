/**
 * Whether assertions that run code outside a sandbox (`python`) may run in this process. Off
 * by default, so a service never accepts or runs them (any API caller could run code on the
 * server); the `prompt-cards eval` command turns it on for the suite its user runs.
 */
let python: string | undefined;

/** Allows `python` assertions, run with `interpreter` (promptfoo's PROMPTFOO_PYTHON). */
export function allowLocalCode(interpreter: string): void {
  python = interpreter;
}

/** The interpreter of `python` assertions; undefined where they are not allowed. */
export function localPython(): string | undefined {
  return python;
}
