/**
 * McNemar's exact test on paired binary outcomes (the same test cases scored by two runs).
 * Only discordant pairs carry information: b = passed before and failed after (broken),
 * c = failed before and passed after (fixed). Under H0 (no change) each discordant pair is
 * broken or fixed with probability ½, so min(b, c) ~ Binomial(b + c, ½) and the two-sided
 * exact p-value is min(1, 2 · P[X ≤ min(b, c)]).
 * Source: McNemar (1947); the exact (binomial) form as in Fagerland, Lydersen & Laake (2013),
 * "The McNemar test for binary matched-pairs data: mid-p and asymptotic are better than exact
 * conditional", BMC Med Res Methodol 13:91 (we use the exact conditional, the conservative one).
 */
export function mcnemarExactP(broken: number, fixed: number): number {
  const n = broken + fixed;
  if (n === 0) return 1;
  const k = Math.min(broken, fixed);
  let tail = 0;
  if (n <= 1000) {
    // Term by term from 2^-n (exact for small n; no underflow below 2^-1074).
    let term = 2 ** -n;
    for (let i = 0; i <= k; i++) {
      if (i > 0) term = (term * (n - i + 1)) / i;
      tail += term;
    }
  } else {
    // In log space, so thousands of discordant pairs neither overflow nor underflow.
    let logC = 0;
    const log2n = n * Math.LN2;
    for (let i = 0; i <= k; i++) {
      if (i > 0) logC += Math.log((n - i + 1) / i);
      tail += Math.exp(logC - log2n);
    }
  }
  return Math.min(1, 2 * tail);
}
