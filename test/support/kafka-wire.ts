/**
 * Encoding primitives of the Kafka wire protocol (kafka.apache.org/protocol: "Protocol
 * Primitive Types"), for the loopback broker: big-endian integers, unsigned and zigzag
 * varints, compact (length + 1) strings, arrays and bytes, tagged-field buffers, and CRC-32C
 * (Castagnoli), the checksum of record batches (message format v2).
 */

export class WireReader {
  offset = 0;
  constructor(readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.offset;
  }
  int8(): number {
    return this.buffer.readInt8(this.offset++);
  }
  int16(): number {
    const v = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32(): number {
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  uint32(): number {
    const v = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  int64(): bigint {
    const v = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }
  boolean(): boolean {
    return this.int8() !== 0;
  }
  uuid(): Buffer {
    return this.bytesOf(16);
  }
  bytesOf(length: number): Buffer {
    const v = this.buffer.subarray(this.offset, this.offset + length);
    if (v.length !== length) throw new Error('truncated');
    this.offset += length;
    return v;
  }
  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buffer.readUInt8(this.offset++);
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  }
  /** Zigzag varint (records): varint and varlong share the encoding. */
  varint(): number {
    const n = this.uvarint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }
  /** NULLABLE_STRING (int16 length), as in request header v1/v2's client_id. */
  nullableString(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.bytesOf(length).toString('utf8');
  }
  compactNullableString(): string | null {
    const length = this.uvarint() - 1;
    return length < 0 ? null : this.bytesOf(length).toString('utf8');
  }
  compactString(): string {
    const value = this.compactNullableString();
    if (value === null) throw new Error('null COMPACT_STRING');
    return value;
  }
  compactBytes(): Buffer | null {
    const length = this.uvarint() - 1;
    return length < 0 ? null : this.bytesOf(length);
  }
  /** COMPACT_ARRAY; null for a null array. */
  compactArray<T>(item: (r: WireReader) => T): T[] | null {
    const length = this.uvarint() - 1;
    if (length < 0) return null;
    return Array.from({ length }, () => item(this));
  }
  /** Skips a TAG_BUFFER. */
  taggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.bytesOf(this.uvarint());
    }
  }
}

export class WireWriter {
  private readonly parts: Buffer[] = [];

  int8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    return this.raw(b);
  }
  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return this.raw(b);
  }
  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return this.raw(b);
  }
  int64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    return this.raw(b);
  }
  boolean(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  uvarint(v: number): this {
    const bytes: number[] = [];
    let n = v;
    while (n >= 0x80) {
      bytes.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    bytes.push(n);
    return this.raw(Buffer.from(bytes));
  }
  compactNullableString(v: string | null): this {
    if (v === null) return this.uvarint(0);
    const b = Buffer.from(v, 'utf8');
    return this.uvarint(b.length + 1).raw(b);
  }
  compactArray<T>(items: readonly T[], item: (w: WireWriter, value: T) => void): this {
    this.uvarint(items.length + 1);
    for (const value of items) item(this, value);
    return this;
  }
  /** An empty TAG_BUFFER. */
  taggedFields(): this {
    return this.uvarint(0);
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78). */
export function crc32c(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
