/**
 * pass^k: the chance that k independent tries of a test case all pass, averaged over test
 * cases, estimated without bias from n ≥ k tries with c passes as C(c, k) / C(n, k).
 * pass^1 is the pass rate; a gap between pass^1 and pass^n is flakiness.
 * Source: Yao et al., "τ-bench" (2024), §5.
 */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/** pass^k for k = 1 … n over units given as {passes, tries}; tries must all equal n. */
export function passHatK(units: readonly { passes: number; tries: number }[]): number[] {
  const n = Math.min(...units.map((u) => u.tries));
  if (units.length === 0 || !Number.isFinite(n) || n < 1) return [];
  return Array.from({ length: n }, (_, i) => {
    const k = i + 1;
    return (
      units.reduce((sum, u) => sum + choose(u.passes, k) / choose(u.tries, k), 0) / units.length
    );
  });
}
