import { z } from 'zod';
import { binary, defineAssertion } from './assertion.js';

/** promptfoo's `finish-reason`: the model stopped for this reason (`stop`, `length`, `tool_calls`). */
export const finishReason = defineAssertion({
  type: 'finish-reason',
  description: 'The model stopped for the given reason (stop, length, tool_calls, content_filter)',
  valueSchema: z.string({ error: 'must be a finish reason' }).min(1),
  judgesDeclined: true,
  evaluate(value, _threshold, { finishReason: actual }) {
    const norm = (s: string) => s.toLowerCase().replace(/^tool_use$/, 'tool_calls');
    const pass = actual !== undefined && actual !== null && norm(actual) === norm(value);
    return binary(pass, `Finish reason ${actual ?? 'unknown'}; expected ${value}`);
  },
});
