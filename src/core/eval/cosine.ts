// Pairwise geometry of a small set of embedded test features, for the sample similarity matrix and the
// cosine histogram: L2-normalised rows (zero rows stay zero, as in OPL), all pairwise cosines, class order.

/** Rows of a [n, dim] row-major array divided by max(‖row‖₂, 1e-12); a new array. */
export function normalizeRows(features: ArrayLike<number>, dim: number): Float32Array {
  const n = Math.floor(features.length / dim);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let k = 0; k < dim; k++) sq += features[i * dim + k] ** 2;
    const inv = 1 / Math.max(Math.sqrt(sq), 1e-12);
    for (let k = 0; k < dim; k++) out[i * dim + k] = features[i * dim + k] * inv;
  }
  return out;
}

/** All pairwise cosines of the rows of a [n, dim] array: an [n, n] row-major symmetric matrix. */
export function computePairwiseCosines(features: ArrayLike<number>, dim: number): Float32Array {
  const unit = normalizeRows(features, dim);
  const n = unit.length / dim;
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += unit[i * dim + k] * unit[j * dim + k];
      out[i * n + j] = dot;
      out[j * n + i] = dot;
    }
  }
  return out;
}

/** Indices that sort `labels` by class, keeping the original order within a class (stable). */
export function orderByClass(labels: ArrayLike<number>): Int32Array {
  const order = Array.from({ length: labels.length }, (_, i) => i);
  order.sort((a, b) => labels[a] - labels[b] || a - b);
  return Int32Array.from(order);
}

/** The rows of a [n, dim] array at `indices`, in that order. */
export function gatherRows(features: ArrayLike<number>, dim: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * dim);
  for (let r = 0; r < indices.length; r++) {
    for (let k = 0; k < dim; k++) out[r * dim + k] = features[indices[r] * dim + k];
  }
  return out;
}

/** Where each class starts and ends in a label list already sorted by class. */
export function findClassRuns(sortedLabels: ArrayLike<number>): Array<{ label: number; start: number; end: number }> {
  const runs: Array<{ label: number; start: number; end: number }> = [];
  for (let i = 0; i < sortedLabels.length; i++) {
    const last = runs[runs.length - 1];
    if (last && last.label === sortedLabels[i]) last.end = i + 1;
    else runs.push({ label: sortedLabels[i], start: i, end: i + 1 });
  }
  return runs;
}
