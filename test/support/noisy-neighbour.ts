/**
 * A noisy neighbour on purpose: `processes` child Node processes that each spin a busy loop on
 * one core for `seconds`, as another program on a shared machine does. `done` settles when they
 * have all exited; `stop()` kills those still running (for an `after()` hook).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface NoisyNeighbour {
  readonly done: Promise<void>;
  stop(): void;
}

export function spinCores(processes: number, seconds: number): NoisyNeighbour {
  const script = `const end = Date.now() + ${Math.round(seconds * 1000)}; let x = 0; while (Date.now() < end) x++;`;
  const children: ChildProcess[] = Array.from({ length: processes }, () =>
    spawn(process.execPath, ['-e', script], { stdio: 'ignore' }),
  );
  const done = Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) resolve();
          else child.once('exit', () => resolve());
        }),
    ),
  ).then(() => undefined);
  return {
    done,
    stop: () => {
      for (const child of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
