/**
 * OTLP/JSON: the protobuf JSON mapping of ExportTraceServiceRequest (lowerCamelCase keys, ids
 * as hex, 64-bit integers as strings or numbers). Validated to the shape the receiver reads;
 * anything else is an `OtlpDecodeError` naming the first bad field.
 */
import { z } from 'zod';
import { OtlpDecodeError, type OtlpAnyValue, type OtlpRequest } from './otlp-model.js';

const int64 = z.union([z.string().regex(/^-?\d+$/, 'must be an integer'), z.number().int()]);
const anyValue: z.ZodType<OtlpAnyValue> = z.lazy(() =>
  z.looseObject({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    doubleValue: z.number().optional(),
    arrayValue: z.looseObject({ values: z.array(anyValue).optional() }).optional(),
    kvlistValue: z.looseObject({ values: z.array(keyValue).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
);
const keyValue = z.looseObject({ key: z.string().optional(), value: anyValue.optional() });
const attributes = z.array(keyValue).optional();
const hexId = (bytes: number) =>
  z
    .string()
    .regex(new RegExp(`^([0-9a-fA-F]{${bytes * 2}})?$`), `must be ${bytes} bytes in hex`)
    .transform((s) => s.toLowerCase())
    .optional();

const requestSchema = z.looseObject({
  resourceSpans: z
    .array(
      z.looseObject({
        resource: z.looseObject({ attributes }).optional(),
        scopeSpans: z
          .array(
            z.looseObject({
              spans: z
                .array(
                  z.looseObject({
                    traceId: hexId(16),
                    spanId: hexId(8),
                    name: z.string().optional(),
                    startTimeUnixNano: int64.optional(),
                    endTimeUnixNano: int64.optional(),
                    attributes,
                    events: z
                      .array(
                        z.looseObject({
                          name: z.string().optional(),
                          timeUnixNano: int64.optional(),
                          attributes,
                        }),
                      )
                      .optional(),
                  }),
                )
                .optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});

/** Parses OTLP/JSON text; throws `OtlpDecodeError` naming the problem. */
export function readTraceRequestJson(text: string): OtlpRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`body is not valid JSON: ${(error as Error).message}`);
  }
  let result;
  try {
    result = requestSchema.safeParse(parsed);
  } catch (error) {
    // The recursive value schema on a too deeply nested export.
    throw new OtlpDecodeError(`body is nested too deeply: ${(error as Error).message}`);
  }
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new OtlpDecodeError(`${path === '' ? 'body' : path} ${issue?.message ?? 'is invalid'}`);
  }
  return result.data;
}
