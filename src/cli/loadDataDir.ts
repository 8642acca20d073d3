// Loads a CIFAR-10 / CIFAR-100 train+test split from a folder on disk (Node): our prepared
// folders (train.bin + test.bin + manifest.json) and the official binary layouts, with class names.

import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CIFAR100_COARSE_CLASSES,
  CIFAR100_FINE_CLASSES,
  CIFAR10_CLASSES,
  CifarFormatError,
  describeFormat,
  parseCifarBinary,
  validateClassCounts,
  type CifarFormat,
  type CifarLabelKind,
  type CifarRecords,
} from '../core/data/cifarBinary';
import type { DatasetSplit } from '../core/data/types';

/** Thrown when a data folder is missing, incomplete or unreadable; the message is one line. */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

/** What loadDataDir should read. */
export interface LoadDataDirOptions {
  dataset: CifarFormat;
  /** CIFAR-100 only: train on the 100 fine classes (default) or the 20 superclasses. */
  labelKind?: CifarLabelKind;
}

/** Both splits of a folder as parsed records (CIFAR-100: fine labels plus coarse labels) and all class names. */
export interface CifarFolderContents {
  /** The folder the record files were read from (may be an official subfolder of the one given). */
  dir: string;
  /** The record files that were read, relative to `dir`. */
  files: { train: string[]; test: string[] };
  train: CifarRecords;
  test: CifarRecords;
  /** CIFAR-10 names, or CIFAR-100 fine names. */
  classNames: string[];
  /** CIFAR-100 only: the 20 superclass names. */
  coarseClassNames?: string[];
}

/** The prepared-folder manifest fields this loader reads. */
interface ManifestNames {
  dataset?: unknown;
  classNames?: unknown;
  coarseClassNames?: unknown;
}

const OFFICIAL_SUBFOLDER: Record<CifarFormat, string> = {
  cifar10: 'cifar-10-batches-bin',
  cifar100: 'cifar-100-binary',
};

const OFFICIAL_CIFAR10_TRAIN = [1, 2, 3, 4, 5].map((n) => `data_batch_${n}.bin`);
const OFFICIAL_CIFAR10_TEST = 'test_batch.bin';

/** The record-file layouts a folder may hold, in order of preference. */
function listLayouts(dataset: CifarFormat): Array<{ train: string[]; test: string[] }> {
  const layouts = [{ train: ['train.bin'], test: ['test.bin'] }];
  if (dataset === 'cifar10') layouts.push({ train: OFFICIAL_CIFAR10_TRAIN, test: [OFFICIAL_CIFAR10_TEST] });
  return layouts;
}

/** Return true when `path` is an existing regular file. */
function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** Find the folder and layout holding a complete train/test pair, or throw saying what was looked for. */
function locateRecordFiles(dir: string, dataset: CifarFormat): { dir: string; files: { train: string[]; test: string[] } } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DataDirError(`data folder ${dir} does not exist; run \`npm run data\` to prepare it`);
  }
  const folders = [dir, join(dir, OFFICIAL_SUBFOLDER[dataset])];
  let fewestMissing: string[] | null = null;
  for (const folder of folders) {
    for (const layout of listLayouts(dataset)) {
      const missing = [...layout.train, ...layout.test].filter((name) => !isFile(join(folder, name)));
      if (missing.length === 0) return { dir: folder, files: layout };
      const inSubfolder = folder !== dir;
      if (inSubfolder && !existsSync(folder)) continue;
      const named = inSubfolder ? missing.map((name) => `${OFFICIAL_SUBFOLDER[dataset]}/${name}`) : missing;
      if (fewestMissing === null || named.length < fewestMissing.length) fewestMissing = named;
    }
  }
  const lookedFor =
    dataset === 'cifar10'
      ? `train.bin + test.bin, or ${OFFICIAL_CIFAR10_TRAIN[0]}..${OFFICIAL_CIFAR10_TRAIN[4]} + ${OFFICIAL_CIFAR10_TEST}`
      : 'train.bin + test.bin';
  throw new DataDirError(
    `no ${describeFormat(dataset)} data in ${dir}: looked for ${lookedFor} (there or in ${OFFICIAL_SUBFOLDER[dataset]}/)` +
      `${fewestMissing ? `, missing ${fewestMissing.join(', ')}` : ''}; run \`npm run data\` to prepare it`,
  );
}

/** Read and parse record files in order, prefixing format errors with the file name. */
async function readRecords(dir: string, names: string[], dataset: CifarFormat): Promise<CifarRecords> {
  const buffers = await Promise.all(names.map((name) => readFile(join(dir, name))));
  const bytes = buffers.length === 1 ? buffers[0] : Buffer.concat(buffers);
  for (let i = 0; i < names.length; i++) {
    if (buffers[i].length === 0) throw new CifarFormatError(`${join(dir, names[i])}: file is empty`);
  }
  try {
    return parseCifarBinary(bytes, dataset);
  } catch (error) {
    if (error instanceof CifarFormatError && names.length === 1) {
      throw new CifarFormatError(`${join(dir, names[0])}: ${error.message}`);
    }
    if (error instanceof CifarFormatError) throw new CifarFormatError(`${names.join(' + ')} in ${dir}: ${error.message}`);
    throw error;
  }
}

/** Split a names file into its non-empty trimmed lines. */
function splitNameLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** Read the first existing names file among `candidates` (in any of `folders`) and check its length. */
async function readNamesFile(folders: string[], candidates: string[], expected: number): Promise<string[] | null> {
  for (const name of candidates) {
    for (const folder of folders) {
      const path = join(folder, name);
      if (!isFile(path)) continue;
      const names = splitNameLines(await readFile(path, 'utf8'));
      if (names.length !== expected) {
        throw new DataDirError(`${path} lists ${names.length} class names, expected ${expected}`);
      }
      return names;
    }
  }
  return null;
}

/** Read manifest.json from the first folder that has one, checking that it describes `dataset`. */
async function readManifestNames(folders: string[], dataset: CifarFormat): Promise<ManifestNames | null> {
  for (const folder of folders) {
    const path = join(folder, 'manifest.json');
    if (!isFile(path)) continue;
    let manifest: ManifestNames;
    try {
      manifest = JSON.parse(await readFile(path, 'utf8')) as ManifestNames;
    } catch (error) {
      throw new DataDirError(`${path} is not valid JSON: ${(error as Error).message}`);
    }
    if (manifest.dataset !== undefined && manifest.dataset !== dataset) {
      throw new DataDirError(`${path} describes ${String(manifest.dataset)}, but ${dataset} was asked for`);
    }
    return manifest;
  }
  return null;
}

/** Return a manifest name list when it is an array of `expected` strings, else null (or throw if malformed). */
function pickManifestNames(value: unknown, expected: number, field: string): string[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length !== expected || !value.every((v) => typeof v === 'string')) {
    throw new DataDirError(`manifest.json field ${field} must list ${expected} class names`);
  }
  return value as string[];
}

/** Make generic names ("class_0", ...) when a folder carries none. */
function makeGenericNames(count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}_${i}`);
}

/**
 * Read and validate both splits of a CIFAR folder, keeping every label kind and class name list.
 * Class names come from manifest.json, else labels.txt / fine_labels.txt / coarse_labels.txt,
 * else the official batches.meta.txt / fine_label_names.txt / coarse_label_names.txt, else generic names.
 * @throws DataDirError for missing files or bad names, CifarFormatError for malformed records.
 */
export async function readCifarFolder(dir: string, dataset: CifarFormat): Promise<CifarFolderContents> {
  const located = locateRecordFiles(dir, dataset);
  const folders = located.dir === dir ? [dir] : [located.dir, dir];
  const manifest = await readManifestNames(folders, dataset);
  const train = await readRecords(located.dir, located.files.train, dataset);
  const test = await readRecords(located.dir, located.files.test, dataset);
  const numClasses = dataset === 'cifar10' ? CIFAR10_CLASSES : CIFAR100_FINE_CLASSES;
  const classNames =
    pickManifestNames(manifest?.classNames, numClasses, 'classNames') ??
    (await readNamesFile(
      folders,
      dataset === 'cifar10' ? ['labels.txt', 'batches.meta.txt'] : ['fine_labels.txt', 'fine_label_names.txt', 'labels.txt'],
      numClasses,
    )) ??
    makeGenericNames(numClasses, 'class');
  const fineLabels = train.fineLabels ?? train.labels;
  validateClassCounts(fineLabels, numClasses, { source: join(located.dir, located.files.train.join('+')), classNames });
  validateClassCounts(test.fineLabels ?? test.labels, numClasses, { source: join(located.dir, located.files.test.join('+')), classNames });
  const contents: CifarFolderContents = { dir: located.dir, files: located.files, train, test, classNames };
  if (dataset === 'cifar100') {
    contents.coarseClassNames =
      pickManifestNames(manifest?.coarseClassNames, CIFAR100_COARSE_CLASSES, 'coarseClassNames') ??
      (await readNamesFile(folders, ['coarse_labels.txt', 'coarse_label_names.txt'], CIFAR100_COARSE_CLASSES)) ??
      makeGenericNames(CIFAR100_COARSE_CLASSES, 'superclass');
    const coarseNames = contents.coarseClassNames;
    validateClassCounts(train.coarseLabels as Int32Array, CIFAR100_COARSE_CLASSES, { source: join(located.dir, 'train.bin'), classNames: coarseNames });
    validateClassCounts(test.coarseLabels as Int32Array, CIFAR100_COARSE_CLASSES, { source: join(located.dir, 'test.bin'), classNames: coarseNames });
  }
  return contents;
}

/**
 * Load the train and test splits of a CIFAR-10 or CIFAR-100 folder.
 * Accepts a folder with train.bin + test.bin (as written by `npm run data`), or the official layouts
 * (CIFAR-10: data_batch_1..5.bin + test_batch.bin; CIFAR-100: train.bin + test.bin), also inside
 * a cifar-10-batches-bin/ or cifar-100-binary/ subfolder. Every class must be present in both splits.
 * @throws DataDirError (missing files, bad names) or CifarFormatError (malformed records), one-line messages.
 */
export async function loadDataDir(dir: string, options: LoadDataDirOptions): Promise<DatasetSplit> {
  const { dataset } = options;
  const labelKind: CifarLabelKind = options.labelKind ?? 'fine';
  if (dataset === 'cifar10' && labelKind === 'coarse') {
    throw new DataDirError('labelKind "coarse" only exists for cifar100');
  }
  const contents = await readCifarFolder(dir, dataset);
  const useCoarse = dataset === 'cifar100' && labelKind === 'coarse';
  const classNames = useCoarse ? (contents.coarseClassNames as string[]) : contents.classNames;
  const pickLabels = (records: CifarRecords): Int32Array => (useCoarse ? (records.coarseLabels as Int32Array) : records.labels);
  return {
    train: { images: contents.train.images, labels: pickLabels(contents.train), classNames, count: contents.train.count },
    test: { images: contents.test.images, labels: pickLabels(contents.test), classNames: [...classNames], count: contents.test.count },
  };
}
