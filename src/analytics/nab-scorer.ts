/**
 * The Numenta Anomaly Benchmark's scoring rules (NAB v1.1, `nab/sweeper.py`), pure:
 * - rows of the probationary period (the first min(⌊0.15·n⌋, 750)) are ignored;
 * - a window earns A_TP·σ(y)/σ(−1) for its earliest detection, y = −(right − i + 1)/width, and
 *   −A_FN when nothing detects it;
 * - a detection outside every window earns A_FP·σ(y), y = |i − right of the preceding window| /
 *   (its width − 1), or −A_FP when no window precedes it;
 * - σ(y) = 2/(1 + e^{5y}) − 1, and −1 past y > 3.
 * Normalised corpus score = 100·(raw − null)/(perfect − null), null = −A_FN·windows, perfect = A_TP·windows.
 */
export interface NabProfile {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

export const NAB_PROFILES = {
  standard: { tp: 1, fp: 0.11, fn: 1 },
  reward_low_FP_rate: { tp: 1, fp: 0.22, fn: 1 },
  reward_low_FN_rate: { tp: 1, fp: 0.11, fn: 2 },
} as const satisfies Record<string, NabProfile>;

export type NabProfileName = keyof typeof NAB_PROFILES;

export function scaledSigmoid(y: number): number {
  if (y > 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

export function probationaryPeriod(rows: number): number {
  return Math.min(Math.floor(0.15 * rows), 750);
}

/** A window as row indices, inclusive. */
export interface RowWindow {
  readonly left: number;
  readonly right: number;
}

export interface FileScore {
  readonly raw: number;
  readonly windows: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
}

/** Scores one file's detections (`detected[i]`) against its windows under a profile. */
export function scoreFile(
  detected: readonly boolean[],
  windows: readonly RowWindow[],
  profile: NabProfile,
): FileScore {
  const rows: number[] = [];
  detected.forEach((d, i) => {
    if (d) rows.push(i);
  });
  return scoreDetections(rows, detected.length, windows, profile);
}

/**
 * The same score from the detected rows only (ascending indices into a file of `length` rows):
 * a threshold sweep replays thousands of detection sets, which are sparse.
 */
export function scoreDetections(
  rows: readonly number[],
  length: number,
  windows: readonly RowWindow[],
  profile: NabProfile,
): FileScore {
  const probation = probationaryPeriod(length);
  const maxTp = scaledSigmoid(-1);
  const sorted = [...windows].sort((a, b) => a.left - b.left);
  const windowDetected = new Array<boolean>(sorted.length).fill(false);
  let raw = 0;
  let falsePositives = 0;
  let truePositives = 0;
  let current = 0; // index of the first window not entirely before row i
  for (const i of rows) {
    if (i < probation || i >= length) continue;
    while (current < sorted.length && (sorted[current]?.right ?? -1) < i) current++;
    const window = sorted[current];
    if (window !== undefined && window.left <= i && i <= window.right) {
      if (windowDetected[current] === true) continue;
      windowDetected[current] = true;
      truePositives++;
      const width = window.right - window.left + 1;
      raw += (scaledSigmoid(-(window.right - i + 1) / width) / maxTp) * profile.tp;
      continue;
    }
    falsePositives++;
    const previous = sorted[current - 1];
    if (previous === undefined) {
      raw -= profile.fp;
    } else {
      const width = previous.right - previous.left + 1;
      raw += scaledSigmoid(Math.abs(i - previous.right) / (width - 1)) * profile.fp;
    }
  }
  const falseNegatives = windowDetected.filter((d) => !d).length;
  raw -= falseNegatives * profile.fn;
  return { raw, windows: sorted.length, truePositives, falsePositives, falseNegatives };
}

/** 100·(raw − null)/(perfect − null) over a corpus of file scores. */
export function normalizedScore(files: readonly FileScore[], profile: NabProfile): number {
  const windows = files.reduce((sum, f) => sum + f.windows, 0);
  const raw = files.reduce((sum, f) => sum + f.raw, 0);
  const nullScore = -profile.fn * windows;
  const perfect = profile.tp * windows;
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}
