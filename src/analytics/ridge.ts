/**
 * Dense linear algebra for ridge regression: solves A·W = B for a symmetric positive-definite
 * A (n × n, row-major) and k right-hand sides B (n × k, row-major) by Cholesky decomposition.
 * Pure; A and B are not modified. Throws RangeError when A is not positive definite.
 */
export function choleskySolve(
  a: Float64Array,
  b: Float64Array,
  n: number,
  k: number,
): Float64Array {
  if (a.length !== n * n || b.length !== n * k) throw new RangeError('matrix sizes do not match');
  // Lower-triangular L with A = L·Lᵀ.
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j] ?? 0;
      for (let s = 0; s < j; s++) sum -= (l[i * n + s] ?? 0) * (l[j * n + s] ?? 0);
      if (i === j) {
        if (!(sum > 0)) throw new RangeError('matrix is not positive definite');
        l[i * n + i] = Math.sqrt(sum);
      } else l[i * n + j] = sum / (l[j * n + j] ?? 1);
    }
  }
  // Forward substitution L·Z = B, then back substitution Lᵀ·W = Z, column by column.
  const w = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      let sum = w[i * k + c] ?? 0;
      for (let s = 0; s < i; s++) sum -= (l[i * n + s] ?? 0) * (w[s * k + c] ?? 0);
      w[i * k + c] = sum / (l[i * n + i] ?? 1);
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = w[i * k + c] ?? 0;
      for (let s = i + 1; s < n; s++) sum -= (l[s * n + i] ?? 0) * (w[s * k + c] ?? 0);
      w[i * k + c] = sum / (l[i * n + i] ?? 1);
    }
  }
  return w;
}
