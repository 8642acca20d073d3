// Turns a handful of named files (dropped on the page, or read from a tar archive) into a CIFAR-10 / CIFAR-100
// train + test split: recognises the official layouts (data_batch_1..5.bin + test_batch.bin, or train.bin +
// test.bin), picks the format, parses with the core parser and finds the class names. Pure: no Node, no DOM.
import {
  CIFAR100_FINE_CLASSES,
  CIFAR10_CLASSES,
  CifarFormatError,
  describeFormat,
  getRecordBytes,
  parseCifarBinary,
  validateClassCounts,
  type CifarFormat,
  type CifarRecords,
} from './cifarBinary';
import type { DatasetSplit } from './types';
import { joinArrays } from '../arrays';

/** One named file; `name` may carry folders ('cifar-10-batches-bin/test_batch.bin'). */
export interface NamedFile {
  name: string;
  bytes: Uint8Array;
}

/** A split read from files: the format, both splits with every class, and which files made it. */
export interface CifarFileSet {
  dataset: CifarFormat;
  split: DatasetSplit;
  files: { train: string[]; test: string[] };
}

/** Thrown when the files do not make a CIFAR data set; the message is one line. */
export class CifarFilesError extends Error {
  override name = 'CifarFilesError';
}

/** The official CIFAR-10 class names, in label order (batches.meta.txt of the release). */
export const CIFAR10_CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

const CIFAR10_BATCHES = [1, 2, 3, 4, 5].map((n) => `data_batch_${n}.bin`);

const baseName = (name: string) => name.slice(name.lastIndexOf('/') + 1);

function splitLines(bytes: Uint8Array): string[] {
  return new TextDecoder()
    .decode(bytes)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** Join byte arrays (one copy, skipped for a single array). */
function concatBytes(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0] : joinArrays(parts, (n) => new Uint8Array(n));
}

/** Guess the format of train.bin / test.bin: the folder name of the official release, else the record size. */
function guessFormat(train: NamedFile, test: NamedFile): CifarFormat {
  const path = `${train.name} ${test.name}`.toLowerCase();
  if (path.includes('cifar-100') || path.includes('cifar100')) return 'cifar100';
  if (path.includes('cifar-10') || path.includes('cifar10')) return 'cifar10';
  const fits = (format: CifarFormat) => [train, test].every((f) => f.bytes.length > 0 && f.bytes.length % getRecordBytes(format) === 0);
  if (fits('cifar10') && !fits('cifar100')) return 'cifar10';
  if (fits('cifar100') && !fits('cifar10')) return 'cifar100';
  // Both or neither fit: try CIFAR-10 first, its parser gives the clearer message.
  return 'cifar10';
}

/** Find the record files: the official CIFAR-10 batches, else train.bin + test.bin. */
function locateRecords(files: NamedFile[]): { dataset: CifarFormat; train: NamedFile[]; test: NamedFile[] } {
  const byBase = new Map<string, NamedFile>();
  for (const f of files) if (!byBase.has(baseName(f.name))) byBase.set(baseName(f.name), f);
  const batches = CIFAR10_BATCHES.map((n) => byBase.get(n));
  const testBatch = byBase.get('test_batch.bin');
  if (testBatch && batches.some(Boolean)) {
    const missing = CIFAR10_BATCHES.filter((_, i) => !batches[i]);
    if (missing.length > 0) throw new CifarFilesError(`CIFAR-10 files incomplete: missing ${missing.join(', ')} (drop all six .bin files, or the .tar.gz)`);
    return { dataset: 'cifar10', train: batches as NamedFile[], test: [testBatch] };
  }
  const train = byBase.get('train.bin');
  const test = byBase.get('test.bin');
  if (train && test) return { dataset: guessFormat(train, test), train: [train], test: [test] };
  const names = files.map((f) => baseName(f.name)).slice(0, 6).join(', ') || 'no files';
  throw new CifarFilesError(
    `not a CIFAR data set (got ${names}${files.length > 6 ? ', …' : ''}): expected data_batch_1..5.bin + test_batch.bin, or train.bin + test.bin, or their .tar.gz`,
  );
}

/** Class names from the files that came along (release or prepared names files), else the defaults. */
function findClassNames(files: NamedFile[], dataset: CifarFormat): string[] {
  const count = dataset === 'cifar10' ? CIFAR10_CLASSES : CIFAR100_FINE_CLASSES;
  const candidates = dataset === 'cifar10' ? ['batches.meta.txt', 'labels.txt'] : ['fine_label_names.txt', 'fine_labels.txt'];
  for (const candidate of candidates) {
    const file = files.find((f) => baseName(f.name) === candidate);
    if (!file) continue;
    const names = splitLines(file.bytes);
    if (names.length === count) return names;
    throw new CifarFilesError(`${candidate} lists ${names.length} class names, ${describeFormat(dataset)} has ${count}`);
  }
  return dataset === 'cifar10' ? [...CIFAR10_CLASS_NAMES] : Array.from({ length: count }, (_, i) => `class_${i}`);
}

function parseSplit(parts: NamedFile[], dataset: CifarFormat): CifarRecords {
  const label = parts.map((p) => baseName(p.name)).join(' + ');
  for (const p of parts) if (p.bytes.length === 0) throw new CifarFilesError(`${label}: ${baseName(p.name)} is empty`);
  try {
    return parseCifarBinary(concatBytes(parts.map((p) => p.bytes)), dataset);
  } catch (err) {
    if (err instanceof CifarFormatError) throw new CifarFilesError(`${label}: ${err.message}`);
    throw err;
  }
}

/**
 * Read a CIFAR data set from named files: the official CIFAR-10 release (data_batch_1..5.bin + test_batch.bin,
 * batches.meta.txt for the names) or a train.bin + test.bin pair (CIFAR-10 or CIFAR-100, told apart by the
 * release folder name or the record size). Every class must appear in both splits. Copies the pixels (HWC).
 * @throws CifarFilesError with a one-line message (missing files, wrong sizes, bad labels, missing classes).
 */
export function readCifarFiles(files: NamedFile[]): CifarFileSet {
  const located = locateRecords(files);
  const { dataset } = located;
  const classNames = findClassNames(files, dataset);
  const train = parseSplit(located.train, dataset);
  const test = parseSplit(located.test, dataset);
  const numClasses = classNames.length;
  try {
    validateClassCounts(train.labels, numClasses, { source: 'training files', classNames });
    validateClassCounts(test.labels, numClasses, { source: 'test files', classNames });
  } catch (err) {
    if (err instanceof CifarFormatError) throw new CifarFilesError(err.message);
    throw err;
  }
  return {
    dataset,
    split: {
      train: { images: train.images, labels: train.labels, classNames, count: train.count },
      test: { images: test.images, labels: test.labels, classNames: [...classNames], count: test.count },
    },
    files: { train: located.train.map((f) => f.name), test: located.test.map((f) => f.name) },
  };
}
