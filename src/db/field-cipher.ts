/**
 * Field-by-field encryption at rest with AES-256-GCM (Node's crypto; NIST SP 800-38D): a random
 * 96-bit nonce per value, a 128-bit tag, and the column's name as additional authenticated data
 * (a value moved to another column does not decrypt). Stored form:
 * `pcs:enc:v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`; the key id (8 hex digits of a
 * hash of the key) says which key wrote it, so METRICS_ENCRYPTION_KEY_PREVIOUS can read rows
 * written before a rotation. A value without the prefix is plaintext from before encryption was
 * on and reads as itself. A value under an unknown key, or one that fails authentication,
 * throws `EncryptionKeyError`: never garbage.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'pcs:enc:v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class EncryptionKeyError extends Error {
  /** A configuration problem: the process exits 2, as for a bad variable. */
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionKeyError';
  }
}

/** The 32 key bytes: 64 hex digits, or 32 characters taken as UTF-8. */
export function encryptionKeyBytes(key: string): Buffer {
  const bytes = /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'utf8');
  if (bytes.length !== 32) throw new EncryptionKeyError('The encryption key must be 32 bytes');
  return bytes;
}

export function encryptionKeyId(key: Buffer): string {
  return createHash('sha256').update('pcs-field-key\0').update(key).digest('hex').slice(0, 8);
}

export function isEncrypted(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** The key id of an encrypted value, undefined for plaintext. */
export function storedKeyId(stored: string): string | undefined {
  return isEncrypted(stored) ? stored.slice(PREFIX.length, PREFIX.length + 8) : undefined;
}

export class FieldCipher {
  private readonly keys = new Map<string, Buffer>();
  /** Undefined: encryption is off (values are stored as given). */
  readonly currentKeyId: string | undefined;

  constructor(current: string | undefined, previous?: string) {
    for (const key of [previous, current]) {
      if (key === undefined) continue;
      const bytes = encryptionKeyBytes(key);
      this.keys.set(encryptionKeyId(bytes), bytes);
    }
    this.currentKeyId =
      current === undefined ? undefined : encryptionKeyId(encryptionKeyBytes(current));
  }

  get enabled(): boolean {
    return this.currentKeyId !== undefined;
  }

  /** Whether a value under this key id can be read. */
  knows(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /** `text` encrypted for column `field`, or unchanged when encryption is off. */
  encrypt(text: string, field: string): string {
    const keyId = this.currentKeyId;
    const key = keyId === undefined ? undefined : this.keys.get(keyId);
    if (keyId === undefined || key === undefined) return text;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(field));
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
    return `${PREFIX}${keyId}:${sealed}`;
  }

  encryptNullable(text: string | null, field: string): string | null {
    return text === null ? null : this.encrypt(text, field);
  }

  /** The plaintext of a stored value of column `field`; throws `EncryptionKeyError`. */
  decrypt(stored: string, field: string): string {
    if (!isEncrypted(stored)) return stored;
    const keyId = stored.slice(PREFIX.length, PREFIX.length + 8);
    const key = this.keys.get(keyId);
    if (key === undefined) {
      throw new EncryptionKeyError(
        `A stored ${field} is encrypted with key ${keyId}, which is neither ` +
          'METRICS_ENCRYPTION_KEY nor METRICS_ENCRYPTION_KEY_PREVIOUS',
      );
    }
    const sealed = Buffer.from(stored.slice(PREFIX.length + 9), 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(field));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new EncryptionKeyError(`A stored ${field} failed authentication (altered or corrupt)`);
    }
  }

  decryptNullable(stored: string | null, field: string): string | null {
    return stored === null ? null : this.decrypt(stored, field);
  }
}

/** Encryption off: the stores' default. */
export const PLAINTEXT = new FieldCipher(undefined);
