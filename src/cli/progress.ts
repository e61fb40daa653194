/**
 * Progress of an evaluation on stderr: a bar (cli-progress) on a terminal, and in CI (no
 * terminal) a plain line at every tenth of the items, so logs stay short and readable.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number): void;
  tick(passed: boolean): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: '{bar} {value}/{total} items | {passed} passed | {eta_formatted} left',
        stream,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let passed = 0;
    return {
      start: (total) => bar.start(total, 0, { passed }),
      tick: (ok) => bar.increment(1, { passed: ok ? ++passed : passed }),
      stop: () => bar.stop(),
    };
  }
  let total = 0;
  let done = 0;
  let passed = 0;
  let nextReport = 0;
  return {
    start: (n) => {
      total += n;
      nextReport = Math.ceil(total / 10);
    },
    tick: (ok) => {
      done++;
      if (ok) passed++;
      if (done >= nextReport || done === total) {
        stream.write(`progress ${done}/${total} items, ${passed} passed\n`);
        nextReport = done + Math.ceil(total / 10);
      }
    },
    stop: () => undefined,
  };
}
