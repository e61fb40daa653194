/**
 * The OTLP trace messages this receiver reads and writes, as a protobufjs descriptor of the
 * subset of opentelemetry-proto v1 it needs (ExportTraceServiceRequest down to AnyValue, and
 * ExportTraceServiceResponse). Fields not listed are skipped by the decoder, as protobuf
 * requires. `decodeTraceRequest` throws `OtlpDecodeError` on bytes that are not such a message.
 */
import protobuf from 'protobufjs';
import { OtlpDecodeError, type OtlpRequest } from './otlp-model.js';

const kv = { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } };
const descriptor = {
  nested: {
    KeyValue: { fields: kv },
    AnyValue: {
      oneofs: {
        value: {
          oneof: [
            'stringValue',
            'boolValue',
            'intValue',
            'doubleValue',
            'arrayValue',
            'kvlistValue',
            'bytesValue',
          ],
        },
      },
      fields: {
        stringValue: { type: 'string', id: 1 },
        boolValue: { type: 'bool', id: 2 },
        intValue: { type: 'int64', id: 3 },
        doubleValue: { type: 'double', id: 4 },
        arrayValue: { type: 'ArrayValue', id: 5 },
        kvlistValue: { type: 'KeyValueList', id: 6 },
        bytesValue: { type: 'bytes', id: 7 },
      },
    },
    ArrayValue: { fields: { values: { rule: 'repeated', type: 'AnyValue', id: 1 } } },
    KeyValueList: { fields: { values: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
    Resource: { fields: { attributes: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
    Event: {
      fields: {
        timeUnixNano: { type: 'fixed64', id: 1 },
        name: { type: 'string', id: 2 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 3 },
      },
    },
    Status: { fields: { message: { type: 'string', id: 2 }, code: { type: 'int32', id: 3 } } },
    Span: {
      fields: {
        traceId: { type: 'bytes', id: 1 },
        spanId: { type: 'bytes', id: 2 },
        parentSpanId: { type: 'bytes', id: 4 },
        name: { type: 'string', id: 5 },
        kind: { type: 'int32', id: 6 },
        startTimeUnixNano: { type: 'fixed64', id: 7 },
        endTimeUnixNano: { type: 'fixed64', id: 8 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
        events: { rule: 'repeated', type: 'Event', id: 11 },
        status: { type: 'Status', id: 15 },
      },
    },
    ScopeSpans: { fields: { spans: { rule: 'repeated', type: 'Span', id: 2 } } },
    ResourceSpans: {
      fields: {
        resource: { type: 'Resource', id: 1 },
        scopeSpans: { rule: 'repeated', type: 'ScopeSpans', id: 2 },
      },
    },
    ExportTraceServiceRequest: {
      fields: { resourceSpans: { rule: 'repeated', type: 'ResourceSpans', id: 1 } },
    },
    ExportTracePartialSuccess: {
      fields: {
        rejectedSpans: { type: 'int64', id: 1 },
        errorMessage: { type: 'string', id: 2 },
      },
    },
    ExportTraceServiceResponse: {
      fields: { partialSuccess: { type: 'ExportTracePartialSuccess', id: 1 } },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);
const requestType = root.lookupType('ExportTraceServiceRequest');
const responseType = root.lookupType('ExportTraceServiceResponse');

/** Decodes a protobuf ExportTraceServiceRequest into the receiver's plain shape. */
export function decodeTraceRequest(body: Uint8Array): OtlpRequest {
  let request: OtlpRequest;
  try {
    // Both recurse into nested values: a too deeply nested export fails here, as a 400.
    request = requestType.toObject(requestType.decode(body), {
      longs: String,
      bytes: String,
      arrays: true,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError(`body is not an OTLP ExportTraceServiceRequest: ${reason}`);
  }
  // Protobuf carries the ids as bytes (base64 here); OTLP/JSON and the stored records use hex.
  for (const resource of request.resourceSpans ?? [])
    for (const scope of resource.scopeSpans ?? [])
      for (const span of scope.spans ?? []) {
        span.traceId = hex(span.traceId);
        span.spanId = hex(span.spanId);
      }
  return request;
}

function hex(base64: string | undefined): string | undefined {
  return base64 === undefined ? undefined : Buffer.from(base64, 'base64').toString('hex');
}

/** Encodes ExportTraceServiceResponse; `rejected` 0 leaves partial_success out. */
export function encodeTraceResponse(rejected: number, errorMessage: string): Uint8Array {
  const payload =
    rejected === 0 && errorMessage === ''
      ? {}
      : { partialSuccess: { rejectedSpans: rejected, errorMessage } };
  return responseType.encode(responseType.fromObject(payload)).finish();
}
