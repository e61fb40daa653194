/**
 * A loopback Kafka broker (one node, KRaft-style ids) speaking the Kafka wire protocol for
 * what a producer sends: ApiVersions (v3–4), Metadata (v9–12), InitProducerId (v2–5) and
 * Produce (v9–11, record batches v2), in the flexible encodings (request header v2, response
 * header v1; ApiVersions answers with header v0, as the protocol guide requires). It decodes
 * every record batch (CRC-32C checked), keeps the log per partition, and enforces the
 * idempotent producer's rules: a known producer id and epoch, and per-partition sequence
 * numbers (a batch seen before is acknowledged without being appended again, a gap is
 * OUT_OF_ORDER_SEQUENCE_NUMBER). `down()`/`up()` simulate an outage: connections drop, the
 * port refuses, the log survives. It is a protocol-level test double, not Kafka.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { decodeRecordBatches, type DecodedRecord } from './kafka-record-batch.js';
import { WireReader, WireWriter } from './kafka-wire.js';

const API = { produce: 0, metadata: 3, apiVersions: 18, initProducerId: 22 } as const;
/** Versions this broker serves (a subset of Kafka 3.9's). */
const SUPPORTED: Record<number, readonly [number, number]> = {
  [API.produce]: [9, 11],
  [API.metadata]: [9, 12],
  [API.apiVersions]: [3, 4],
  [API.initProducerId]: [2, 5],
};
const ERROR = {
  none: 0,
  unknownTopicOrPartition: 3,
  corruptMessage: 2,
  unsupportedVersion: 35,
  invalidProducerEpoch: 47,
  outOfOrderSequence: 45,
  unknownProducerId: 59,
} as const;

export interface StoredRecord extends DecodedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly producerId: bigint;
  readonly sequence: number;
}

export interface SeenRequest {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly clientId: string | null;
  /** Produce only. */
  readonly acks?: number;
}

export interface KafkaBroker {
  readonly port: number;
  readonly bootstrap: string;
  readonly records: StoredRecord[];
  readonly requests: SeenRequest[];
  /** Produce requests refused (and why), e.g. sequence gaps. */
  readonly rejections: string[];
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaBrokerOptions {
  readonly partitions?: number;
  /** Topics that exist from the start; others are created when Metadata allows it. */
  readonly topics?: readonly string[];
}

const NODE_ID = 1;

export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const partitions = options.partitions ?? 3;
  const topics = new Map<string, Buffer>();
  const addTopic = (name: string) => {
    const id = Buffer.alloc(16);
    id.writeUInt32BE(topics.size + 1, 12);
    topics.set(name, id);
  };
  for (const name of options.topics ?? []) addTopic(name);
  const records: StoredRecord[] = [];
  const requests: SeenRequest[] = [];
  const rejections: string[] = [];
  const logEnd = new Map<string, number>();
  /** producer id → epoch; `${pid}/${topic}/${partition}` → next sequence. */
  const producers = new Map<bigint, number>();
  const nextSequence = new Map<string, number>();
  let nextProducerId = 1000n;
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const respond = (socket: Socket, correlationId: number, headerTags: boolean, body: Buffer) => {
    const header = new WireWriter().int32(correlationId);
    if (headerTags) header.taggedFields();
    const payload = Buffer.concat([header.build(), body]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    socket.write(Buffer.concat([size, payload]));
  };

  const apiVersions = (): Buffer =>
    new WireWriter()
      .int16(ERROR.none)
      .compactArray(Object.entries(SUPPORTED), (w, [key, [min, max]]) =>
        w.int16(Number(key)).int16(min).int16(max).taggedFields(),
      )
      .int32(0)
      .taggedFields()
      .build();

  const metadata = (r: WireReader, version: number): Buffer => {
    const requested = r.compactArray((t) => {
      if (version >= 10) t.uuid();
      const name = t.compactNullableString();
      t.taggedFields();
      return name;
    });
    const allowAutoCreate = r.boolean();
    if (version <= 10) r.boolean(); // include_cluster_authorized_operations (v8–10)
    r.boolean(); // include_topic_authorized_operations
    r.taggedFields();
    const names =
      requested === null ? [...topics.keys()] : requested.filter((n): n is string => n !== null);
    for (const name of names) if (!topics.has(name) && allowAutoCreate) addTopic(name);
    const w = new WireWriter()
      .int32(0)
      .compactArray([NODE_ID], (b) =>
        b
          .int32(NODE_ID)
          .compactNullableString('127.0.0.1')
          .int32(port)
          .compactNullableString(null)
          .taggedFields(),
      )
      .compactNullableString('pcs-loopback-cluster')
      .int32(NODE_ID)
      .compactArray(names, (t, name) => {
        const id = topics.get(name);
        t.int16(
          id === undefined ? ERROR.unknownTopicOrPartition : ERROR.none,
        ).compactNullableString(name);
        if (version >= 10) t.raw(id ?? Buffer.alloc(16));
        t.boolean(false).compactArray(
          id === undefined ? [] : [...Array(partitions).keys()],
          (p, index) =>
            p
              .int16(ERROR.none)
              .int32(index)
              .int32(NODE_ID)
              .int32(0)
              .compactArray([NODE_ID], (x, n) => x.int32(n))
              .compactArray([NODE_ID], (x, n) => x.int32(n))
              .compactArray([], () => undefined)
              .taggedFields(),
        );
        t.int32(-2147483648).taggedFields();
      });
    if (version <= 10) w.int32(-2147483648); // cluster_authorized_operations
    return w.taggedFields().build();
  };

  const initProducerId = (r: WireReader, version: number): Buffer => {
    const transactionalId = r.compactNullableString();
    r.int32();
    if (version >= 3) {
      r.int64();
      r.int16();
    }
    r.taggedFields();
    if (transactionalId !== null) throw new Error('transactions are not served by this broker');
    const id = nextProducerId++;
    producers.set(id, 0);
    return new WireWriter().int32(0).int16(ERROR.none).int64(id).int16(0).taggedFields().build();
  };

  /** Appends one partition's batches; returns [error, base offset]. */
  const append = (topic: string, partition: number, bytes: Buffer): [number, bigint] => {
    if (!topics.has(topic) || partition >= partitions) return [ERROR.unknownTopicOrPartition, -1n];
    let batches;
    try {
      batches = decodeRecordBatches(bytes);
    } catch (error) {
      rejections.push(`${topic}/${partition}: ${(error as Error).message}`);
      return [ERROR.corruptMessage, -1n];
    }
    const key = `${topic}/${partition}`;
    let first = -1n;
    for (const batch of batches) {
      if (batch.producerId >= 0n) {
        const epoch = producers.get(batch.producerId);
        if (epoch === undefined) return [ERROR.unknownProducerId, -1n];
        if (epoch !== batch.producerEpoch) return [ERROR.invalidProducerEpoch, -1n];
        const seqKey = `${batch.producerId}/${key}`;
        const expected = nextSequence.get(seqKey) ?? 0;
        if (batch.baseSequence < expected) {
          // A retry of a batch already appended: acknowledged, not appended twice.
          const original = records.find(
            (rec) =>
              rec.producerId === batch.producerId &&
              rec.topic === topic &&
              rec.partition === partition &&
              rec.sequence === batch.baseSequence,
          );
          first = BigInt(original?.offset ?? 0);
          continue;
        }
        if (batch.baseSequence > expected) {
          rejections.push(`${seqKey}: sequence ${batch.baseSequence}, expected ${expected}`);
          return [ERROR.outOfOrderSequence, -1n];
        }
        nextSequence.set(seqKey, expected + batch.records.length);
      }
      const base = logEnd.get(key) ?? 0;
      if (first < 0n) first = BigInt(base);
      batch.records.forEach((record, i) =>
        records.push({
          ...record,
          topic,
          partition,
          offset: base + record.offsetDelta,
          producerId: batch.producerId,
          sequence: batch.baseSequence + i,
        }),
      );
      logEnd.set(key, base + batch.lastOffsetDelta + 1);
    }
    return [ERROR.none, first];
  };

  const produce = (r: WireReader, clientId: string | null, version: number): Buffer => {
    r.compactNullableString(); // transactional_id
    const acks = r.int16();
    r.int32(); // timeout_ms
    const data = r.compactArray((t) => {
      const name = t.compactString();
      const parts = t.compactArray((p) => {
        const index = p.int32();
        const bytes = p.compactBytes() ?? Buffer.alloc(0);
        p.taggedFields();
        return { index, bytes };
      });
      t.taggedFields();
      return { name, parts: parts ?? [] };
    });
    r.taggedFields();
    requests.push({ apiKey: API.produce, apiVersion: version, clientId, acks });
    return new WireWriter()
      .compactArray(data ?? [], (t, topic) => {
        t.compactNullableString(topic.name).compactArray(topic.parts, (p, part) => {
          const [error, offset] = append(topic.name, part.index, part.bytes);
          p.int32(part.index)
            .int16(error)
            .int64(offset)
            .int64(-1n)
            .int64(0n)
            .compactArray([], () => undefined)
            .compactNullableString(null)
            .taggedFields();
        });
        t.taggedFields();
      })
      .int32(0)
      .taggedFields()
      .build();
  };

  const handle = (socket: Socket, frame: Buffer) => {
    const r = new WireReader(frame);
    const apiKey = r.int16();
    const apiVersion = r.int16();
    const correlationId = r.int32();
    const clientId = r.nullableString();
    const range = SUPPORTED[apiKey];
    if (range === undefined || apiVersion < range[0] || apiVersion > range[1]) {
      requests.push({ apiKey, apiVersion, clientId });
      // The protocol guide: an unsupported ApiVersions version gets a v0 error response.
      if (apiKey === API.apiVersions)
        respond(
          socket,
          correlationId,
          false,
          new WireWriter().int16(ERROR.unsupportedVersion).int32(0).build(),
        );
      else socket.destroy();
      return;
    }
    r.taggedFields(); // request header v2
    if (apiKey !== API.produce) requests.push({ apiKey, apiVersion, clientId });
    switch (apiKey) {
      case API.apiVersions:
        return respond(socket, correlationId, false, apiVersions());
      case API.metadata:
        return respond(socket, correlationId, true, metadata(r, apiVersion));
      case API.initProducerId:
        return respond(socket, correlationId, true, initProducerId(r, apiVersion));
      default: {
        const body = produce(r, clientId, apiVersion);
        return respond(socket, correlationId, true, body);
      }
    }
  };

  const listen = (wanted: number) =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((socket) => {
        sockets.add(socket);
        let pending = Buffer.alloc(0);
        socket.on('data', (chunk: Buffer) => {
          pending = Buffer.concat([pending, chunk]);
          while (pending.length >= 4) {
            const size = pending.readInt32BE(0);
            if (pending.length < 4 + size) break;
            const frame = pending.subarray(4, 4 + size);
            pending = pending.subarray(4 + size);
            try {
              handle(socket, frame);
            } catch (error) {
              rejections.push(`undecodable request: ${(error as Error).message}`);
              socket.destroy();
            }
          }
        });
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      });
      s.once('error', reject);
      s.listen(wanted, '127.0.0.1', () => {
        server = s;
        port = (s.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen(0);
  const down = async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    const s = server;
    server = undefined;
    if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    port,
    bootstrap: `127.0.0.1:${port}`,
    records,
    requests,
    rejections,
    down,
    up: async () => {
      if (server === undefined) await listen(port);
    },
    close: down,
  };
}
