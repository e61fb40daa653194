/**
 * The plain shape of an OTLP trace export (the protobuf decoder and the OTLP/JSON reader both
 * produce it; ids are lower-case hex, 64-bit integers decimal strings), attribute flattening
 * with limits, and the receiver's errors.
 */

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}
export interface OtlpKeyValue {
  key?: string;
  value?: OtlpAnyValue;
}
export interface OtlpEvent {
  name?: string;
  timeUnixNano?: string | number;
  attributes?: OtlpKeyValue[];
}
export interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  name?: string;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpKeyValue[];
  events?: OtlpEvent[];
}
export interface OtlpRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { spans?: OtlpSpan[] }[];
  }[];
}

/** A body that is not an OTLP trace export (400). */
export class OtlpDecodeError extends Error {}

/** Limits on what one span may carry; a span over them is rejected (partial success). */
export interface AttributeLimits {
  /** Attributes per span, resource, or event. */
  readonly maxAttributes: number;
  /** Characters of one attribute value once flattened to text. */
  readonly maxValueChars: number;
}

/** Attribute values flattened: scalars as they are, arrays and maps as JSON text. */
export type AttributeValue = string | number | boolean;

/**
 * The attributes as a map, or a sentence saying which limit they break. Nested values become
 * JSON (as the GenAI conventions carry structured messages) and count against the value limit.
 */
export function flattenAttributes(
  list: readonly OtlpKeyValue[] | undefined,
  limits: AttributeLimits,
): Map<string, AttributeValue> | string {
  const out = new Map<string, AttributeValue>();
  if (list === undefined) return out;
  if (list.length > limits.maxAttributes)
    return `${list.length} attributes, more than the limit of ${limits.maxAttributes}`;
  for (const { key, value } of list) {
    if (key === undefined || value === undefined) continue;
    const flat = scalar(value);
    if (typeof flat === 'string' && flat.length > limits.maxValueChars)
      return `attribute ${key.slice(0, 100)} has ${flat.length} characters, more than the limit of ${limits.maxValueChars}`;
    out.set(key, flat);
  }
  return out;
}

function scalar(value: OtlpAnyValue): AttributeValue {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue === undefined && value.kvlistValue === undefined) return ''; // no value set
  return JSON.stringify(plain(value, 0));
}

/** Arrays and maps nested deeper than this are cut (`null`): no stack to exhaust. */
const MAX_DEPTH = 16;

function plain(value: OtlpAnyValue, depth: number): unknown {
  if (depth > MAX_DEPTH) return null;
  if (value.arrayValue !== undefined)
    return (value.arrayValue.values ?? []).map((v) => plain(v, depth + 1));
  if (value.kvlistValue !== undefined)
    return Object.fromEntries(
      (value.kvlistValue.values ?? []).map((kv) => [
        kv.key ?? '',
        plain(kv.value ?? {}, depth + 1),
      ]),
    );
  return scalar(value);
}

/** Nanoseconds since the epoch (decimal string or number) → milliseconds; undefined if absent. */
export function nanosToMillis(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '' || value === 0 || value === '0') return undefined;
  try {
    return Number(BigInt(value) / 1_000_000n);
  } catch {
    return undefined;
  }
}
