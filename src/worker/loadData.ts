// Fetches a prepared data set (public/data/<name>/: manifest.json, train.bin, test.bin, written by
// `npm run data`), checks the bytes against the manifest, and cuts the subset a session trains on.
import { describeFormat, parseCifarBinary, validateClassCounts, type CifarFormat } from '../core/data/cifarBinary';
import { selectSubset } from '../core/data/subset';
import { applyTrainingShift, type TrainingShiftReport } from '../core/data/trainingShift';
import type { DatasetSplit, ImageDataset } from '../core/data/types';
import type { LabSettings } from './protocol';

/** The manifest fields the worker reads (the full schema lives with the data preparation in src/cli). */
export interface DataManifest {
  dataset: CifarFormat;
  classNames: string[];
  train: { count: number; perClass: number };
  test: { count: number; perClass: number };
  files?: Partial<Record<'train.bin' | 'test.bin', { bytes: number; sha256: string }>>;
}

/** A whole prepared data set, parsed: both splits with every class. */
export interface LoadedDataset {
  manifest: DataManifest;
  split: DatasetSplit;
}

/**
 * The app root as an absolute URL. A worker resolves relative URLs against its own script, not the page,
 * so a relative base ('./', the built site) is resolved from the worker chunk, which Vite emits one folder
 * down (build.assetsDir, 'assets/'); an absolute base ('/', the dev server) from the origin.
 */
export function resolveAppRoot(): URL {
  const base = import.meta.env.BASE_URL;
  if (base.startsWith('.')) return new URL('../', self.location.href);
  return new URL(base, self.location.origin);
}

async function fetchBytes(url: URL, what: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${what} (HTTP ${res.status} for ${url.pathname}): run \`npm run data\``);
  return new Uint8Array(await res.arrayBuffer());
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Check a file's size and hash against the manifest; both are recorded by `npm run data`. */
async function verifyFile(bytes: Uint8Array, manifest: DataManifest, name: 'train.bin' | 'test.bin'): Promise<void> {
  const expected = manifest.files?.[name];
  if (!expected) return;
  if (bytes.length !== expected.bytes) {
    throw new Error(`${manifest.dataset}/${name} has ${bytes.length} bytes, the manifest says ${expected.bytes}: run \`npm run data\` again`);
  }
  if (crypto.subtle && (await sha256Hex(bytes)) !== expected.sha256) {
    throw new Error(`${manifest.dataset}/${name} does not match the sha256 in its manifest: run \`npm run data\` again`);
  }
}

function toDataset(bytes: Uint8Array, manifest: DataManifest, name: 'train.bin' | 'test.bin'): ImageDataset {
  const records = parseCifarBinary(bytes, manifest.dataset);
  const expected = name === 'train.bin' ? manifest.train : manifest.test;
  if (records.count !== expected.count) {
    throw new Error(`${manifest.dataset}/${name} holds ${records.count} images, the manifest says ${expected.count}`);
  }
  validateClassCounts(records.labels, manifest.classNames.length, { source: `${manifest.dataset}/${name}`, classNames: manifest.classNames });
  return { images: records.images, labels: records.labels, classNames: [...manifest.classNames], count: records.count };
}

/**
 * Fetch, verify and parse a prepared data set (about 37 MB for the default CIFAR-10 subset).
 * @throws Error with a one-line message naming the file and what to do.
 */
export async function loadDataset(dataset: CifarFormat, root: URL = resolveAppRoot()): Promise<LoadedDataset> {
  const folder = new URL(`data/${dataset}/`, root);
  const res = await fetch(new URL('manifest.json', folder));
  if (!res.ok) throw new Error(`no prepared ${describeFormat(dataset)} data (HTTP ${res.status} for manifest.json): run \`npm run data\``);
  const manifest = (await res.json()) as DataManifest;
  if (manifest.dataset !== dataset || !Array.isArray(manifest.classNames)) {
    throw new Error(`data/${dataset}/manifest.json does not describe ${describeFormat(dataset)}`);
  }
  const [trainBytes, testBytes] = await Promise.all([
    fetchBytes(new URL('train.bin', folder), `${dataset}/train.bin`),
    fetchBytes(new URL('test.bin', folder), `${dataset}/test.bin`),
  ]);
  await Promise.all([verifyFile(trainBytes, manifest, 'train.bin'), verifyFile(testBytes, manifest, 'test.bin')]);
  return { manifest, split: { train: toDataset(trainBytes, manifest, 'train.bin'), test: toDataset(testBytes, manifest, 'test.bin') } };
}

/**
 * Cut the session's subset: the first `classes` classes, `trainPerClass` / `testPerClass` images of each,
 * chosen by the session's seed; then the training split (only) gets the long tail and the label noise.
 * @throws RangeError (from selectSubset) when the data set has too few, or on a bad ratio or noise rate.
 */
export function cutSubset(data: LoadedDataset, settings: LabSettings): { split: DatasetSplit; shift: TrainingShiftReport } {
  const { manifest } = data;
  const limit = (asked: number, available: number, what: string) => {
    if (asked > available) throw new RangeError(`${asked} ${what} images per class asked, the prepared data has ${available}`);
  };
  limit(settings.trainPerClass, manifest.train.perClass, 'training');
  limit(settings.testPerClass, manifest.test.perClass, 'test');
  const train = selectSubset(data.split.train, { classes: settings.classes, perClass: settings.trainPerClass, seed: settings.seed });
  const shifted = applyTrainingShift(train, { imbalance: settings.imbalance, labelNoise: settings.labelNoise, noiseKind: settings.noiseKind }, settings.seed);
  return {
    split: { train: shifted.dataset, test: selectSubset(data.split.test, { classes: settings.classes, perClass: settings.testPerClass, seed: settings.seed }) },
    shift: shifted.report,
  };
}
