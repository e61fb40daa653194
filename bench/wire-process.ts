/**
 * Starts the loopback OpenAI-wire model (bench/wire-server-process.ts) in a process of its own,
 * answering after `latencyMs`, and waits for its URL. `close` ends it (SIGTERM) and waits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface WireProcess {
  url: string;
  /** The process itself, for a bench that stops its children on any exit. */
  child: ChildProcess;
  close: () => Promise<void>;
}

export async function startWireProcess(latencyMs: number): Promise<WireProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/wire-server-process.ts'], {
    env: { ...process.env, WIRE_LATENCY_MS: String(latencyMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return {
    url: line.toString().trim(),
    child,
    close: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}
