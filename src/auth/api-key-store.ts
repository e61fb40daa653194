/** Persistence of API keys (SQLite and PostgreSQL alike). The key itself is never stored. */
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyTable, Database } from '../db/index.js';
import { apiKeyId, apiKeyMatches, generateApiKey } from './api-key.js';
import { isRole, type Role } from './identity.js';

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly created_at: string;
  readonly revoked_at: string | null;
}

function toApiKey(row: Selectable<ApiKeyTable>): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: isRole(row.role) ? row.role : 'viewer',
    created_at: row.created_at,
    revoked_at: row.revoked_at,
  };
}

export class ApiKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a new key; returns its record and the key, which only this call ever sees. */
  async create(name: string, role: Role): Promise<{ apiKey: ApiKey; key: string }> {
    const generated = generateApiKey();
    const row = {
      id: generated.id,
      name,
      role,
      key_hash: generated.hash,
      created_at: new Date().toISOString(),
      revoked_at: null,
    };
    await this.db.insertInto('api_keys').values(row).execute();
    return { apiKey: toApiKey(row), key: generated.key };
  }

  /** Every key, newest first, revoked ones included (they say when). */
  async list(): Promise<ApiKey[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toApiKey);
  }

  async get(id: string): Promise<ApiKey | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toApiKey(row);
  }

  /** Marks the key revoked; the first revocation time is kept. Undefined for an unknown id. */
  async revoke(id: string): Promise<ApiKey | undefined> {
    await this.db
      .updateTable('api_keys')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    return this.get(id);
  }

  /** The live key this string is, or undefined (malformed, unknown, wrong secret or revoked). */
  async verify(key: string): Promise<ApiKey | undefined> {
    const id = apiKeyId(key);
    if (id === undefined) return undefined;
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined || !apiKeyMatches(key, row.key_hash) || row.revoked_at !== null) {
      return undefined;
    }
    return toApiKey(row);
  }
}
