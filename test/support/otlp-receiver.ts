/**
 * A loopback OTLP/HTTP trace receiver: decodes what the app really sends, in both
 * protocols (http/json, and http/protobuf with a small protobuf wire-format reader that knows
 * the fields of ExportTraceServiceRequest the tests look at).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AttributeValue = string | number | boolean | AttributeValue[] | undefined;

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Record<string, AttributeValue>;
  readonly events: { name: string; attributes: Record<string, AttributeValue> }[];
  readonly status: { code: number; message: string };
  readonly resource: Record<string, AttributeValue>;
}

export interface OtlpReceiver {
  readonly url: string;
  readonly spans: ReceivedSpan[];
  readonly requests: { contentType: string }[];
  close(): Promise<void>;
}

// ---- protobuf wire format ----
type Field = { number: number; wire: number; value: bigint | Buffer };

function readVarint(buf: Buffer, offset: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  let pos = offset;
  for (;;) {
    const byte = buf[pos++] ?? 0;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    pos = next;
    const number = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [value, after] = readVarint(buf, pos);
      out.push({ number, wire, value });
      pos = after;
    } else if (wire === 1) {
      out.push({ number, wire, value: buf.subarray(pos, pos + 8) });
      pos += 8;
    } else if (wire === 2) {
      const [length, after] = readVarint(buf, pos);
      out.push({ number, wire, value: buf.subarray(after, after + Number(length)) });
      pos = after + Number(length);
    } else if (wire === 5) {
      out.push({ number, wire, value: buf.subarray(pos, pos + 4) });
      pos += 4;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  return out;
}

const bytes = (f: Field[], n: number) =>
  f.filter((x) => x.number === n).map((x) => x.value as Buffer);
const first = (f: Field[], n: number) => f.find((x) => x.number === n)?.value;

function anyValue(buf: Buffer): AttributeValue {
  const f = fields(buf)[0];
  if (f === undefined) return undefined;
  switch (f.number) {
    case 1:
      return (f.value as Buffer).toString('utf8');
    case 2:
      return (f.value as bigint) !== 0n;
    case 3:
      return Number(BigInt.asIntN(64, f.value as bigint));
    case 4:
      return (f.value as Buffer).readDoubleLE(0);
    case 5:
      return bytes(fields(f.value as Buffer), 1).map(anyValue);
    default:
      return undefined;
  }
}

function protoAttributes(list: Buffer[]): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const kv of list) {
    const f = fields(kv);
    const key = (first(f, 1) as Buffer | undefined)?.toString('utf8') ?? '';
    const value = first(f, 2) as Buffer | undefined;
    out[key] = value === undefined ? undefined : anyValue(value);
  }
  return out;
}

function decodeProtobuf(body: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of bytes(fields(body), 1)) {
    const rs = fields(resourceSpans);
    const resourceBuf = first(rs, 1) as Buffer | undefined;
    const resource =
      resourceBuf === undefined ? {} : protoAttributes(bytes(fields(resourceBuf), 1));
    for (const scopeSpans of bytes(rs, 2)) {
      for (const spanBuf of bytes(fields(scopeSpans), 2)) {
        const s = fields(spanBuf);
        const statusBuf = first(s, 15) as Buffer | undefined;
        const status = statusBuf === undefined ? [] : fields(statusBuf);
        spans.push({
          traceId: (first(s, 1) as Buffer).toString('hex'),
          spanId: (first(s, 2) as Buffer).toString('hex'),
          parentSpanId: ((first(s, 4) as Buffer | undefined) ?? Buffer.alloc(0)).toString('hex'),
          name: (first(s, 5) as Buffer).toString('utf8'),
          kind: Number((first(s, 6) as bigint | undefined) ?? 0n),
          attributes: protoAttributes(bytes(s, 9)),
          events: bytes(s, 11).map((e) => {
            const ef = fields(e);
            return {
              name: (first(ef, 2) as Buffer).toString('utf8'),
              attributes: protoAttributes(bytes(ef, 3)),
            };
          }),
          status: {
            code: Number((first(status, 3) as bigint | undefined) ?? 0n),
            message: ((first(status, 2) as Buffer | undefined) ?? Buffer.alloc(0)).toString('utf8'),
          },
          resource,
        });
      }
    }
  }
  return spans;
}

// ---- OTLP/JSON ----
interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}
interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
}

function jsonValue(v: JsonAnyValue): AttributeValue {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(jsonValue);
  return undefined;
}

const jsonAttributes = (list: JsonKeyValue[] | undefined) =>
  Object.fromEntries((list ?? []).map((kv) => [kv.key, jsonValue(kv.value)]));

function decodeJson(text: string): ReceivedSpan[] {
  // OTLP/JSON: camelCase fields, ids as hex strings, 64-bit integers as strings.
  const body = JSON.parse(text) as {
    resourceSpans?: {
      resource?: { attributes?: JsonKeyValue[] };
      scopeSpans?: {
        spans?: {
          traceId: string;
          spanId: string;
          parentSpanId?: string;
          name: string;
          kind?: number;
          attributes?: JsonKeyValue[];
          events?: { name: string; attributes?: JsonKeyValue[] }[];
          status?: { code?: number; message?: string };
        }[];
      }[];
    }[];
  };
  return (body.resourceSpans ?? []).flatMap((rs) =>
    (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId ?? '',
        name: s.name,
        kind: s.kind ?? 0,
        attributes: jsonAttributes(s.attributes),
        events: (s.events ?? []).map((e) => ({
          name: e.name,
          attributes: jsonAttributes(e.attributes),
        })),
        status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
        resource: jsonAttributes(rs.resource?.attributes),
      })),
    ),
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests: { contentType: string }[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const contentType = req.headers['content-type'] ?? '';
      requests.push({ contentType });
      if (req.url !== '/v1/traces' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      spans.push(
        ...(contentType.includes('json')
          ? decodeJson(body.toString('utf8'))
          : decodeProtobuf(body)),
      );
      if (contentType.includes('json'))
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
