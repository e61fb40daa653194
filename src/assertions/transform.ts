/**
 * promptfoo's `transform` of an output before a check: JavaScript run in the sandbox with
 * `output` and `context` (`vars`, `prompt`), its result the new output. The checks then see
 * the result as text (`output`; JSON for anything but a string) and as it is (`outputValue`,
 * for `javascript`). A tool-call answer (finish reason `tool_calls`) starts as its parsed list.
 */
import type { AssertionContext } from './assertion.js';
import { runInSandbox, SandboxError } from '../util/index.js';

/** The output as promptfoo's code sees it before any transform. */
export function structuredOutput(context: AssertionContext): unknown {
  if (context.outputValue !== undefined) return context.outputValue;
  if (
    context.structured === true ||
    context.finishReason === 'tool_calls' ||
    context.finishReason === 'function_call'
  )
    try {
      return JSON.parse(context.output) as unknown;
    } catch {
      return context.output;
    }
  return context.output;
}

/** The context with the transformed output, or the sandbox's message when a transform failed. */
export async function applyTransforms(
  transforms: readonly string[],
  start: unknown,
  context: AssertionContext,
): Promise<AssertionContext | string> {
  let value = start;
  for (const code of transforms) {
    try {
      value = await runInSandbox(code, value, { vars: context.vars ?? {}, prompt: context.prompt });
    } catch (error) {
      if (error instanceof SandboxError) return error.message;
      throw error;
    }
  }
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return { ...context, output: text, outputValue: value };
}
