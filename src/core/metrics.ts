// Metrics on plain arrays: accuracy, per-class accuracy and the confusion matrix from logits, and the
// geometry of a feature set: class-mean cosine matrix, mean same-class and different-class pair cosines.

/** Accuracy figures of a labelled prediction set. */
export interface ClassificationMetrics {
  accuracy: number;
  /** Accuracy of each true class (NaN for a class with no examples). */
  perClassAccuracy: number[];
  /** confusion[t][p]: examples of true class t predicted as p. */
  confusion: number[][];
}

/** Geometry of a feature set. */
export interface SimilarityMetrics {
  /** C x C cosines between class-mean feature vectors (row-major). */
  classMeanCos: number[][];
  /** Mean of the off-diagonal entries of classMeanCos. */
  classMeanOffDiagCos: number;
  /** Mean cosine over pairs i ≠ j of the same class (the test-set counterpart of OPL's s). */
  meanSameClassCos: number;
  /** Mean cosine over pairs of different classes (the counterpart of OPL's d, signed). */
  meanDiffClassCos: number;
}

/** Index of the largest value in each row of a [n, c] row-major array. */
export function argmaxRows(values: Float32Array, cols: number): Int32Array {
  const rows = values.length / cols;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (values[r * cols + c] > values[r * cols + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Accuracy, per-class accuracy and confusion matrix of predicted vs true labels. */
export function computeClassification(predicted: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): ClassificationMetrics {
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    confusion[labels[i]][predicted[i]]++;
    if (labels[i] === predicted[i]) correct++;
  }
  const perClassAccuracy = confusion.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total > 0 ? row[t] / total : NaN;
  });
  return { accuracy: labels.length > 0 ? correct / labels.length : NaN, perClassAccuracy, confusion };
}

/**
 * Feature geometry without forming the N x N matrix: for unit vectors uᵢ, the sum of uᵢ·uⱼ over ordered
 * pairs i ≠ j in a group is ‖Σuᵢ‖² − Σ‖uᵢ‖². A zero feature row stays zero (cosine 0), as in OPL.
 * @param features [n, dim] row-major.
 */
export function computeSimilarity(features: Float32Array, labels: ArrayLike<number>, dim: number, numClasses: number): SimilarityMetrics {
  const n = labels.length;
  const unitSums = Array.from({ length: numClasses }, () => new Float64Array(dim));
  const rawSums = Array.from({ length: numClasses }, () => new Float64Array(dim));
  const counts = new Float64Array(numClasses);
  const selfDots = new Float64Array(numClasses); // Σ‖uᵢ‖² per class: 1 per non-zero row
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += features[i * dim + k] ** 2;
    norm = Math.max(Math.sqrt(norm), 1e-12);
    for (let k = 0; k < dim; k++) {
      const v = features[i * dim + k];
      unitSums[c][k] += v / norm;
      rawSums[c][k] += v;
      selfDots[c] += (v / norm) ** 2;
    }
    counts[c]++;
  }
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, k) => s + v * b[k], 0);

  let samePairs = 0;
  let sameSum = 0;
  const total = new Float64Array(dim);
  let allSelf = 0;
  for (let c = 0; c < numClasses; c++) {
    sameSum += dot(unitSums[c], unitSums[c]) - selfDots[c];
    samePairs += counts[c] * (counts[c] - 1);
    for (let k = 0; k < dim; k++) total[k] += unitSums[c][k];
    allSelf += selfDots[c];
  }
  const allPairsSum = dot(total, total) - allSelf;
  const diffPairs = n * (n - 1) - samePairs;

  const norms = rawSums.map((s) => Math.max(Math.sqrt(dot(s, s)), 1e-12));
  const classMeanCos = rawSums.map((a, i) => rawSums.map((b, j) => dot(a, b) / (norms[i] * norms[j])));
  let offDiag = 0;
  for (let i = 0; i < numClasses; i++) for (let j = 0; j < numClasses; j++) if (i !== j) offDiag += classMeanCos[i][j];

  return {
    classMeanCos,
    classMeanOffDiagCos: numClasses > 1 ? offDiag / (numClasses * (numClasses - 1)) : NaN,
    meanSameClassCos: samePairs > 0 ? sameSum / samePairs : NaN,
    meanDiffClassCos: diffPairs > 0 ? (allPairsSum - sameSum) / diffPairs : NaN,
  };
}
