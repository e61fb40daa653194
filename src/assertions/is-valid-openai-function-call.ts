/**
 * promptfoo's `is-valid-openai-function-call`: the output is one function call `{name,
 * arguments}` naming a function of the value (else the suite's provider `functions`, which
 * the command passes as the value) with JSON arguments that satisfy its parameter schema.
 */
import { Ajv } from 'ajv';
import { z } from 'zod';
import { binary, defineAssertion } from './assertion.js';
import { structuredOutput } from './transform.js';

const ajv = new Ajv({ allErrors: true, strict: false });

export const isValidOpenAiFunctionCall = defineAssertion({
  type: 'is-valid-openai-function-call',
  description:
    "Output is a function call naming one of the provider's functions with valid arguments",
  valueSchema: z.array(z.record(z.string(), z.unknown()), {
    error: 'must be the list of functions',
  }),
  evaluate(value, _threshold, context) {
    let call = structuredOutput(context) as { name?: unknown; arguments?: unknown } | string;
    if (typeof call === 'string')
      try {
        call = JSON.parse(call) as { name?: unknown; arguments?: unknown };
      } catch {
        return binary(false, 'Output is not a function call');
      }
    if (call === null || typeof call !== 'object')
      return binary(false, 'Output is not a function call');
    const fn = value.find((f) => f.name === call.name);
    if (fn === undefined)
      return binary(false, `Function call names no known function: ${String(call.name)}`);
    let args: unknown;
    try {
      args =
        typeof call.arguments === 'string' ? JSON.parse(call.arguments) : (call.arguments ?? {});
    } catch {
      return binary(false, `Arguments of ${String(call.name)} are not JSON`);
    }
    const schema = fn.parameters;
    if (schema !== null && typeof schema === 'object' && !ajv.validate(schema, args))
      return binary(
        false,
        `Arguments of ${String(call.name)} do not match its schema: ${ajv.errorsText()}`,
      );
    return binary(true, 'Valid function call');
  },
});
