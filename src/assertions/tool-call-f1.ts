/**
 * promptfoo's `tool-call-f1`: the F1 score of the names of the tools the model called against
 * the expected names (a list, or one comma-separated text), as sets: order and repeats do not
 * count. precision = |called ∩ expected| / |called|, recall = |called ∩ expected| / |expected|,
 * F1 = 2PR / (P + R) (0 when nothing matches). Passes when F1 ≥ threshold (default 1: exactly
 * the expected tools). Tool calls are read in OpenAI's shapes (`[{function: {name}}]`,
 * `{tool_calls: […]}`, Responses `{type: "function_call", name}`), Anthropic's
 * (`{type: "tool_use", name}`), Google's (`{functionCall: {name}}`,
 * `{toolCall: {functionCalls: […]}}`) and `[{name}]`, also from text with JSON on its own lines.
 */
import { z } from 'zod';
import { defineAssertion } from './assertion.js';
import { jsonBlocks } from './json-blocks.js';

const names = z
  .union([z.array(z.union([z.string(), z.number()])), z.string()], {
    error: 'must be a list of tool names or a comma-separated text',
  })
  .transform((v) =>
    (Array.isArray(v) ? v.map(String) : v.split(','))
      .map((name) => name.trim())
      .filter((name) => name !== ''),
  )
  .refine((list) => list.length > 0, { message: 'needs at least one tool name' });

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object';
const nameOf = (v: unknown): string | undefined =>
  isObject(v) && typeof v.name === 'string' ? v.name : undefined;

function fromItem(item: unknown, into: Set<string>): void {
  if (!isObject(item)) return;
  const found =
    (item.type === 'tool_use' ? nameOf(item) : undefined) ??
    nameOf(item.functionCall) ??
    nameOf(item.function) ??
    nameOf(item);
  if (found !== undefined) into.add(found);
}

/** The tool names called in `output` (parsed tool calls, or text holding them as JSON). */
export function calledTools(output: unknown, into = new Set<string>()): Set<string> {
  if (typeof output === 'string') {
    try {
      return calledTools(JSON.parse(output) as unknown, into);
    } catch {
      const blocks = jsonBlocks(output, { nested: false, wholeLines: true });
      for (const block of blocks.values) calledTools(block, into);
      return into;
    }
  }
  if (Array.isArray(output)) {
    for (const item of output) fromItem(item, into);
    return into;
  }
  if (!isObject(output)) return into;
  if (Array.isArray(output.tool_calls)) {
    for (const call of output.tool_calls) {
      if (!isObject(call)) continue;
      const fn = nameOf(call.function);
      if (fn !== undefined) into.add(fn);
      const own = nameOf(call);
      if (own !== undefined) into.add(own);
    }
    return into;
  }
  if (output.type === 'tool_use' || output.type === 'function_call') {
    const own = nameOf(output);
    if (own !== undefined) into.add(own);
    return into;
  }
  if ('functionCall' in output) {
    const fn = nameOf(output.functionCall);
    if (fn !== undefined) into.add(fn);
    return into;
  }
  if (isObject(output.toolCall) && Array.isArray(output.toolCall.functionCalls))
    for (const call of output.toolCall.functionCalls) fromItem(call, into);
  return into;
}

const list = (set: ReadonlySet<string>) => [...set].sort().join(', ') || '(none)';

export const toolCallF1 = defineAssertion({
  type: 'tool-call-f1',
  description:
    'F1 of the called tool names against the expected names (sets) reaches the threshold (default 1)',
  valueSchema: names,
  defaultThreshold: 1,
  evaluate(value, threshold, { output, outputValue }) {
    const expected = new Set(value);
    const actual = calledTools(outputValue ?? output);
    const hits = [...expected].filter((name) => actual.has(name)).length;
    const precision = actual.size > 0 ? hits / actual.size : 0;
    const recall = hits / expected.size;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    const pass = f1 >= threshold;
    return {
      pass,
      score: f1,
      reason:
        `Tool Call F1 ${f1.toFixed(3)} (precision ${precision.toFixed(3)}, recall ` +
        `${recall.toFixed(3)}) ${pass ? 'reaches' : 'is below'} ${threshold}. ` +
        `Expected: [${list(expected)}], called: [${list(actual)}]`,
    };
  },
});
