import { z } from 'zod';
import { binary, defineAssertion } from './assertion.js';
import { parseJsonOutput } from '../util/index.js';

export const isJson = defineAssertion({
  type: 'is-json',
  description:
    'Output is valid JSON (one Markdown code fence around it is allowed, any CommonMark form)',
  valueSchema: z.union([z.null(), z.undefined(), z.literal(true)], { error: 'takes no value' }),
  evaluate(_value, _threshold, { output }) {
    const parsed = parseJsonOutput(output);
    return binary(
      parsed.ok,
      parsed.ok ? 'Output is valid JSON' : `Output is not JSON: ${parsed.error}`,
    );
  },
});
