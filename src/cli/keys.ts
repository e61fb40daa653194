/**
 * `npm run keys -- <command>` (in the image: `node dist/src/cli/keys.js <command>`): API keys for AUTH_MODE=api-key.
 *   create --name <name> --role viewer|editor|admin   prints the key once (only its hash is kept)
 *   list                                              id, name, role, created, revoked
 *   revoke <id>                                       the key stops working at once
 * Exit codes: 0 done, 1 unknown key id or bad arguments, 2 bad configuration.
 */
import { parseArgs } from 'node:util';
import { AuditTrail } from '../audit/index.js';
import { ApiKeyStore, isRole } from '../auth/index.js';
import { cliConfig, openCliDatabase } from './cli-database.js';

const USAGE = `usage: npm run keys -- create --name <name> --role viewer|editor|admin
       npm run keys -- list
       npm run keys -- revoke <id>\n`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, role: { type: 'string' } },
  });
  const [command, id] = positionals;
  if (command !== 'create' && command !== 'list' && command !== 'revoke') fail('unknown command');
  const config = cliConfig();
  const database = await openCliDatabase(config);
  const keys = new ApiKeyStore(database.db);
  const audit = new AuditTrail(database.db, {
    current: config.secrets.auditSecret,
    previous: config.secrets.auditSecretPrevious,
  });
  // Changes made here are audited like those made through the API, by the actor "cli".
  const record = (action: string, targetId: string, before: unknown, after: unknown) =>
    audit.append({ actor: 'cli', role: 'admin', action, targetId, before, after });
  try {
    if (command !== 'list') await audit.open();
    if (command === 'create') {
      const name = values.name?.trim() ?? '';
      const role = values.role ?? '';
      if (name === '' || name.length > 100) fail('--name is required (at most 100 characters)');
      if (!isRole(role)) fail('--role must be viewer, editor, admin or ingest');
      const { apiKey, key } = await keys.create(name, role);
      await record('api_key.created', apiKey.id, null, apiKey);
      process.stdout.write(
        `Created API key ${apiKey.id} (${apiKey.name}, ${apiKey.role}). It is shown only now:\n${key}\n`,
      );
    } else if (command === 'list') {
      for (const key of await keys.list()) {
        const revoked = key.revoked_at === null ? '' : `  revoked ${key.revoked_at}`;
        process.stdout.write(
          `${key.id}  ${key.role.padEnd(6)}  ${key.created_at}  ${key.name}${revoked}\n`,
        );
      }
    } else {
      if (id === undefined) fail('revoke needs the key id');
      const before = await keys.get(id);
      const revoked = await keys.revoke(id);
      if (before === undefined || revoked === undefined) fail(`no API key with id ${id}`);
      if (before.revoked_at === null) await record('api_key.revoked', id, before, revoked);
      process.stdout.write(`Revoked API key ${id} (${revoked.name}).\n`);
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
