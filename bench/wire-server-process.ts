/**
 * Runs the loopback OpenAI-wire server in its own process, as a real model server would be,
 * so its CPU time does not count against the engine being measured. Prints its URL.
 */
import { startWireServer } from '../test/support/wire-server.js';

async function main(): Promise<void> {
  const server = await startWireServer('openai');
  server.latencyMs = Number(process.env.WIRE_LATENCY_MS ?? 20);
  process.stdout.write(`${server.url}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

void main();
