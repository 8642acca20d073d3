// Few-shot transfer on frozen features: split a data set into base classes (to train on) and novel classes, then
// run seeded N-way K-shot episodes on the novel classes' features with a nearest-centroid (cosine) or a
// logistic-regression classifier fitted on the support set. Plain JS: episodes are tiny.
import { createRng, shuffleInPlace } from '../rng';
import type { DatasetSplit, ImageDataset } from '../data/types';
import { gatherImages } from '../data/subset';

export type FewShotClassifier = 'centroid' | 'logistic';

export interface FewShotOptions {
  /** Classes per episode (N). */
  ways: number;
  /** Labelled support images per class (K). */
  shots: number;
  /** Query images per class, scored in each episode. */
  queries: number;
  episodes: number;
  seed: number;
  classifier: FewShotClassifier;
  /** Logistic regression: full-batch gradient steps (default 300). */
  logisticSteps?: number;
}

export interface FewShotResult {
  ways: number;
  shots: number;
  episodes: number;
  meanAccuracy: number;
  /** Half-width of the 95% interval of the mean: 1.96·std/√episodes (population std over episodes). */
  ci95: number;
  /** Query accuracy of each episode, in episode order. */
  accuracies: number[];
}

const LOGISTIC_STEPS = 300;
const LOGISTIC_LR = 1;
const LOGISTIC_WEIGHT_DECAY = 1e-3;

/**
 * Split a train/test pair into base classes 0..baseClasses-1 (both splits, in their original order, labels kept)
 * and a novel set: every image, train then test, of the remaining classes, relabelled 0..k-1.
 * @throws RangeError unless 1 ≤ baseClasses < number of classes.
 */
export function splitBaseNovel(data: DatasetSplit, baseClasses: number): { base: DatasetSplit; novel: ImageDataset } {
  const numClasses = data.train.classNames.length;
  if (!Number.isInteger(baseClasses) || baseClasses < 1 || baseClasses >= numClasses) {
    throw new RangeError(`base classes must be a whole number in 1..${numClasses - 1} (so that some classes are novel), got ${baseClasses}`);
  }
  const keepBase = (set: ImageDataset): ImageDataset => {
    const picked = indicesWhere(set.labels, (l) => l < baseClasses);
    const out = gatherImages(set, picked);
    out.classNames = set.classNames.slice(0, baseClasses);
    return out;
  };
  const fromTrain = gatherImages(data.train, indicesWhere(data.train.labels, (l) => l >= baseClasses));
  const fromTest = gatherImages(data.test, indicesWhere(data.test.labels, (l) => l >= baseClasses));
  const count = fromTrain.count + fromTest.count;
  const images = new Uint8Array(fromTrain.images.length + fromTest.images.length);
  images.set(fromTrain.images);
  images.set(fromTest.images, fromTrain.images.length);
  const labels = new Int32Array(count);
  labels.set(fromTrain.labels);
  labels.set(fromTest.labels, fromTrain.count);
  for (let i = 0; i < count; i++) labels[i] -= baseClasses;
  return {
    base: { train: keepBase(data.train), test: keepBase(data.test) },
    novel: { images, labels, count, classNames: data.train.classNames.slice(baseClasses) },
  };
}

/**
 * Run `episodes` seeded N-way K-shot episodes on `features` ([n, dim] row-major, rows L2-normalised here) with
 * `labels` (n, in 0..k-1). Each episode picks `ways` classes among those with at least shots + queries images,
 * then shots support and `queries` query images per class, fits the classifier on the support set and scores
 * the queries. Same seed, same episodes.
 * @throws RangeError on bad sizes or when fewer than `ways` classes have enough images.
 */
export function runFewShot(features: Float32Array, dim: number, labels: Int32Array, options: FewShotOptions): FewShotResult {
  const { ways, shots, queries, episodes } = options;
  for (const [name, v] of [['ways', ways], ['shots', shots], ['queries', queries], ['episodes', episodes]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a whole number >= 1, got ${v}`);
  }
  if (ways < 2) throw new RangeError(`ways must be at least 2, got ${ways}`);
  if (features.length !== labels.length * dim) throw new RangeError(`features hold ${features.length} values, expected ${labels.length} x ${dim}`);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const members = byClass.get(label);
    if (members) members.push(i);
    else byClass.set(label, [i]);
  });
  const eligible = [...byClass.keys()].filter((c) => byClass.get(c)!.length >= shots + queries).sort((a, b) => a - b);
  if (eligible.length < ways) {
    throw new RangeError(`${ways}-way ${shots}-shot with ${queries} queries needs ${ways} classes of at least ${shots + queries} images; ${eligible.length} have that many`);
  }
  const unit = normaliseRows(features, dim);
  const rng = createRng(options.seed);
  const accuracies: number[] = [];
  for (let e = 0; e < episodes; e++) {
    const episodeRng = rng.fork(`episode:${e}`);
    const classes = shuffleInPlace([...eligible], episodeRng).slice(0, ways);
    const support: number[][] = [];
    const query: number[][] = [];
    for (const c of classes) {
      const members = shuffleInPlace([...byClass.get(c)!], episodeRng);
      support.push(members.slice(0, shots));
      query.push(members.slice(shots, shots + queries));
    }
    const score = options.classifier === 'logistic' ? fitLogistic(unit, dim, support, options.logisticSteps ?? LOGISTIC_STEPS) : fitCentroids(unit, dim, support);
    let correct = 0;
    query.forEach((rows, way) => {
      for (const row of rows) if (argmax(score(unit.subarray(row * dim, (row + 1) * dim))) === way) correct++;
    });
    accuracies.push(correct / (ways * queries));
  }
  const mean = accuracies.reduce((a, b) => a + b, 0) / episodes;
  const variance = accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / episodes;
  return { ways, shots, episodes, meanAccuracy: mean, ci95: (1.96 * Math.sqrt(variance)) / Math.sqrt(episodes), accuracies };
}

/** Scores a query row against every way. */
type Scorer = (row: Float32Array) => Float64Array;

/** Nearest centroid by cosine: the score of a way is the cosine between the query and the mean of its unit supports. */
function fitCentroids(unit: Float32Array, dim: number, support: number[][]): Scorer {
  const centroids = support.map((rows) => {
    const c = new Float64Array(dim);
    for (const row of rows) for (let k = 0; k < dim; k++) c[k] += unit[row * dim + k];
    const norm = Math.max(Math.hypot(...c), 1e-12);
    return c.map((v) => v / norm);
  });
  return (row) => Float64Array.from(centroids, (c) => dot(c, row));
}

/**
 * Multinomial logistic regression on the unit support features: softmax CE averaged over the support set plus
 * (wd/2)·‖W‖², full-batch gradient descent from zero weights (deterministic; no randomness needed).
 */
function fitLogistic(unit: Float32Array, dim: number, support: number[][], steps: number): Scorer {
  const ways = support.length;
  const rows = support.flatMap((r, way) => r.map((row) => ({ x: unit.subarray(row * dim, (row + 1) * dim), way })));
  const w = Array.from({ length: ways }, () => new Float64Array(dim));
  const b = new Float64Array(ways);
  const logits = (x: Float32Array) => Float64Array.from(w, (wc, c) => dot(wc, x) + b[c]);
  for (let s = 0; s < steps; s++) {
    const gw = Array.from({ length: ways }, () => new Float64Array(dim));
    const gb = new Float64Array(ways);
    for (const { x, way } of rows) {
      const p = softmax(logits(x));
      for (let c = 0; c < ways; c++) {
        const err = (p[c] - (c === way ? 1 : 0)) / rows.length;
        gb[c] += err;
        for (let k = 0; k < dim; k++) gw[c][k] += err * x[k];
      }
    }
    for (let c = 0; c < ways; c++) {
      b[c] -= LOGISTIC_LR * gb[c];
      for (let k = 0; k < dim; k++) w[c][k] -= LOGISTIC_LR * (gw[c][k] + LOGISTIC_WEIGHT_DECAY * w[c][k]);
    }
  }
  return logits;
}

/** Rows scaled to unit L2 norm (a zero row stays zero). */
function normaliseRows(features: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(features.length);
  for (let r = 0; r < features.length / dim; r++) {
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += features[r * dim + k] ** 2;
    const scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let k = 0; k < dim; k++) out[r * dim + k] = features[r * dim + k] * scale;
  }
  return out;
}

/** Index of the largest score; the first one on ties. */
function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

function softmax(z: Float64Array): Float64Array {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / sum);
}

function indicesWhere(labels: Int32Array, keep: (label: number) => boolean): number[] {
  const out: number[] = [];
  labels.forEach((l, i) => {
    if (keep(l)) out.push(i);
  });
  return out;
}
