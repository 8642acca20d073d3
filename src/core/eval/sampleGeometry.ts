// The geometry of one run's embedded sample, computed once per embedding (by the training worker, off the page's
// main thread) and shared by the sample similarity matrix and the cosine histogram: rows sorted by class, all
// pairwise cosines, same- vs different-class bins.
import { computePairwiseCosines, findClassRuns, gatherRows, orderByClass } from './cosine';
import { computeCosineHistogram, type CosineHistogram } from './histogram';

export interface SampleGeometry {
  /** Number of samples used (at most the cap). */
  n: number;
  /** Row of the embedding at each sorted position. */
  order: Int32Array;
  /** Labels in sorted order. */
  labels: Int32Array;
  /** [n, n] cosines in sorted order. */
  cosines: Float32Array;
  classRuns: Array<{ label: number; start: number; end: number }>;
  histogram: CosineHistogram;
}

/** Most samples in the similarity matrix: 400² cosines of 4w-dimensional features stay a few milliseconds. */
export const MAX_MATRIX_SAMPLES = 400;

/**
 * @param features [count, dim] row-major; only the first `max` rows are used (the worker's sample is already
 *   a seeded random draw, so its first rows are a random draw too).
 */
export function computeSampleGeometry(features: Float32Array, labels: Int32Array, dim: number, max = MAX_MATRIX_SAMPLES, bins = 40): SampleGeometry {
  const n = Math.min(labels.length, Math.floor(features.length / dim), max);
  const head = labels.subarray(0, n);
  const order = orderByClass(head);
  const sortedLabels = Int32Array.from(order, (i) => head[i]);
  const cosines = computePairwiseCosines(gatherRows(features, dim, order), dim);
  return { n, order, labels: sortedLabels, cosines, classRuns: findClassRuns(sortedLabels), histogram: computeCosineHistogram(cosines, sortedLabels, bins) };
}

/**
 * The geometry of every run's embedded sample (features[r] is [count, dim] row-major, labels shared), with the
 * buffers of its new arrays, for a message that transfers them; the inputs are only read.
 */
export function computeRunGeometries(features: Float32Array[], labels: Int32Array, dim: number): { geometry: SampleGeometry[]; transfer: ArrayBuffer[] } {
  const geometry = features.map((f) => computeSampleGeometry(f, labels, dim));
  const transfer = geometry.flatMap((g) => [g.order.buffer, g.labels.buffer, g.cosines.buffer] as ArrayBuffer[]);
  return { geometry, transfer };
}
