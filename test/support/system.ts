/**
 * System tests need real services. Without REQUIRE_SYSTEM=1 a missing service skips the suite
 * (a developer without PostgreSQL can still run it); with REQUIRE_SYSTEM=1 it fails.
 */
export const REQUIRE_SYSTEM = process.env.REQUIRE_SYSTEM === '1';

export const POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ??
  (process.env.DATABASE_URL?.startsWith('postgres') === true
    ? process.env.DATABASE_URL
    : 'postgres://postgres@127.0.0.1:5432/test');

/** Returns a skip reason when the service is missing and not required; throws when required. */
export async function requireService(
  name: string,
  probe: () => Promise<void>,
): Promise<string | undefined> {
  try {
    await probe();
    return undefined;
  } catch (error) {
    const message = `${name} is not reachable: ${error instanceof Error ? error.message : String(error)}`;
    if (REQUIRE_SYSTEM) throw new Error(`${message} (REQUIRE_SYSTEM=1)`, { cause: error });
    return message;
  }
}
