/**
 * Decodes record batches (message format v2, kafka.apache.org "Message Format"): the batch
 * header, its CRC-32C over everything after the crc field, and each record's key, value and
 * headers (zigzag varint lengths). Compressed batches are refused: the sink sends none.
 */
import { crc32c, WireReader } from './kafka-wire.js';

export interface DecodedRecord {
  readonly offsetDelta: number;
  readonly timestampDelta: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface DecodedBatch {
  readonly baseOffset: bigint;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: bigint;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly records: DecodedRecord[];
}

function decodeRecord(r: WireReader): DecodedRecord {
  const length = r.varint();
  const end = r.offset + length;
  r.int8(); // attributes (unused)
  const timestampDelta = r.varint();
  const offsetDelta = r.varint();
  const keyLength = r.varint();
  const key = keyLength < 0 ? null : r.bytesOf(keyLength).toString('utf8');
  const valueLength = r.varint();
  const value = valueLength < 0 ? null : r.bytesOf(valueLength).toString('utf8');
  const headers: Record<string, string> = {};
  const count = r.varint();
  for (let i = 0; i < count; i++) {
    const name = r.bytesOf(r.varint()).toString('utf8');
    const valueLen = r.varint();
    headers[name] = valueLen < 0 ? '' : r.bytesOf(valueLen).toString('utf8');
  }
  if (r.offset !== end) throw new Error(`record length ${length} does not match its fields`);
  return { offsetDelta, timestampDelta, key, value, headers };
}

/** Every batch in a partition's `records` bytes; throws on a bad magic, CRC or length. */
export function decodeRecordBatches(bytes: Buffer): DecodedBatch[] {
  const r = new WireReader(bytes);
  const batches: DecodedBatch[] = [];
  while (r.remaining > 0) {
    const baseOffset = r.int64();
    const batchLength = r.int32();
    const end = r.offset + batchLength;
    r.int32(); // partitionLeaderEpoch
    const magic = r.int8();
    if (magic !== 2) throw new Error(`record batch magic ${magic}, expected 2`);
    const crc = r.uint32();
    const covered = bytes.subarray(r.offset, end);
    if (crc32c(covered) !== crc) throw new Error('record batch CRC-32C mismatch');
    const attributes = r.int16();
    if ((attributes & 0x07) !== 0) throw new Error('compressed batches are not decoded here');
    const lastOffsetDelta = r.int32();
    const baseTimestamp = r.int64();
    r.int64(); // maxTimestamp
    const producerId = r.int64();
    const producerEpoch = r.int16();
    const baseSequence = r.int32();
    const count = r.int32();
    const records = Array.from({ length: count }, () => decodeRecord(r));
    if (r.offset !== end) throw new Error('record batch length does not match its records');
    batches.push({
      baseOffset,
      attributes,
      lastOffsetDelta,
      baseTimestamp,
      producerId,
      producerEpoch,
      baseSequence,
      records,
    });
  }
  return batches;
}
