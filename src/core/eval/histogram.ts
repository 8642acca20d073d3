// Same-class vs different-class cosine distributions of a sample: each unordered pair i < j counted once,
// binned over [-1, 1], as fractions of their own group so the two groups (of very different sizes) compare.

export interface CosineHistogram {
  /** bins + 1 bin edges, from `lo` to `hi`. */
  edges: number[];
  /** Fraction of same-class pairs in each bin. */
  same: number[];
  /** Fraction of different-class pairs in each bin. */
  different: number[];
  sameCount: number;
  differentCount: number;
  /** Mean cosine of each group (NaN for an empty group). */
  sameMean: number;
  differentMean: number;
}

/** Index of the bin that holds `v` among `bins` equal bins over [lo, hi]; values outside are clamped in. */
export function findBin(v: number, bins: number, lo = -1, hi = 1): number {
  const b = Math.floor(((v - lo) / (hi - lo)) * bins);
  return Math.min(bins - 1, Math.max(0, b));
}

/**
 * Histogram the upper triangle (i < j) of an [n, n] cosine matrix, split by whether labels[i] == labels[j].
 * Non-finite cosines are skipped.
 */
export function computeCosineHistogram(cosines: ArrayLike<number>, labels: ArrayLike<number>, bins = 40, lo = -1, hi = 1): CosineHistogram {
  const n = labels.length;
  const same = new Array<number>(bins).fill(0);
  const different = new Array<number>(bins).fill(0);
  let sameCount = 0;
  let differentCount = 0;
  let sameSum = 0;
  let differentSum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = cosines[i * n + j];
      if (!Number.isFinite(v)) continue;
      const b = findBin(v, bins, lo, hi);
      if (labels[i] === labels[j]) {
        same[b]++;
        sameCount++;
        sameSum += v;
      } else {
        different[b]++;
        differentCount++;
        differentSum += v;
      }
    }
  }
  return {
    edges: Array.from({ length: bins + 1 }, (_, k) => lo + ((hi - lo) * k) / bins),
    same: same.map((c) => (sameCount > 0 ? c / sameCount : 0)),
    different: different.map((c) => (differentCount > 0 ? c / differentCount : 0)),
    sameCount,
    differentCount,
    sameMean: sameCount > 0 ? sameSum / sameCount : NaN,
    differentMean: differentCount > 0 ? differentSum / differentCount : NaN,
  };
}
