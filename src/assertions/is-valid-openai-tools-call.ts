/**
 * promptfoo's `is-valid-openai-tools-call`: the output is a list of tool calls, each naming a
 * function of the list given as the value (else the suite's provider `tools`, which the
 * command passes as the value) with JSON arguments that satisfy its parameter schema.
 */
import { Ajv } from 'ajv';
import { z } from 'zod';
import { binary, defineAssertion } from './assertion.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const tools = z.array(z.record(z.string(), z.unknown()), { error: 'must be the list of tools' });

interface ToolCall {
  function?: { name?: unknown; arguments?: unknown };
}

export const isValidOpenAiToolsCall = defineAssertion({
  type: 'is-valid-openai-tools-call',
  description:
    "Output is tool calls naming the provider's tools with arguments matching their schema",
  valueSchema: tools,
  evaluate(value, _threshold, { output, outputValue }) {
    let calls: unknown = outputValue;
    if (calls === undefined)
      try {
        calls = JSON.parse(output);
      } catch {
        return binary(false, 'Output is not a list of tool calls');
      }
    if (!Array.isArray(calls) || calls.length === 0)
      return binary(false, 'Output is not a list of tool calls');
    for (const call of calls as ToolCall[]) {
      const name = call.function?.name;
      const tool = value.find((t) => (t.function as { name?: unknown } | undefined)?.name === name);
      if (tool === undefined)
        return binary(false, `Tool call names no known tool: ${String(name)}`);
      let args: unknown;
      try {
        const raw = call.function?.arguments;
        args = typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {});
      } catch {
        return binary(false, `Arguments of ${String(name)} are not JSON`);
      }
      const schema = (tool.function as { parameters?: object }).parameters;
      if (schema !== undefined && !ajv.validate(schema, args))
        return binary(
          false,
          `Arguments of ${String(name)} do not match its schema: ${ajv.errorsText()}`,
        );
    }
    return binary(true, `${calls.length} valid tool call(s)`);
  },
});
