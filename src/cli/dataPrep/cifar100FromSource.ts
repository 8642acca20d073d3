// CIFAR-100 from a local copy (the official cifar-100-binary folder or .tar.gz, or a prepared folder
// with train.bin + test.bin): read it, and keep the first N images of each fine class in source order.

import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CIFAR100_FINE_CLASSES, countPerClass, type CifarEncodeInput, type CifarRecords } from '../../core/data/cifarBinary';
import { selectFirstPerClass } from '../../core/data/subset';
import { IMAGE_BYTES } from '../../core/data/types';
import { readCifarFolder, type CifarFolderContents } from '../loadDataDir';
import { trackTemporaryPath, untrackTemporaryPath } from './outputs';
import type { Progress } from './progress';
import { extractTarGz } from './runProcess';

/** Default images per fine class, the same as ../shared/data/cifar100 (capped by what the source holds). */
export const CIFAR100_DEFAULT_TRAIN_PER_CLASS = 60;
export const CIFAR100_DEFAULT_TEST_PER_CLASS = 20;

/** Return true when a path names a gzipped tar archive. */
function isTarGz(path: string): boolean {
  return /\.(tar\.gz|tgz)$/i.test(path) && statSync(path).isFile();
}

/**
 * Read a CIFAR-100 source: a folder (official layout, possibly in cifar-100-binary/, or train.bin + test.bin)
 * or a .tar.gz of the official release, extracted into a temporary folder under `cacheDir` and removed after.
 */
export async function readCifar100Source(path: string, cacheDir: string, progress: Progress): Promise<CifarFolderContents> {
  if (!isTarGz(path)) {
    progress.start(`reading CIFAR-100 from ${path}`);
    const contents = await readCifarFolder(path, 'cifar100');
    progress.finish(`${contents.train.count} train + ${contents.test.count} test records`);
    return contents;
  }
  await mkdir(cacheDir, { recursive: true });
  const workDir = await mkdtemp(join(cacheDir, 'cifar100-extract-'));
  trackTemporaryPath(workDir);
  try {
    progress.start(`extracting ${path}`);
    await extractTarGz(path, workDir);
    progress.finish('done');
    progress.start('reading CIFAR-100 records');
    const contents = await readCifarFolder(workDir, 'cifar100');
    progress.finish(`${contents.train.count} train + ${contents.test.count} test records`);
    return contents;
  } finally {
    await rm(workDir, { recursive: true, force: true });
    untrackTemporaryPath(workDir);
  }
}

/** Return the smallest number of images any fine class has in a split. */
export function findSmallestClass(records: CifarRecords): { classId: number; count: number } {
  const available = countPerClass(records.fineLabels ?? records.labels, CIFAR100_FINE_CLASSES);
  let classId = 0;
  for (let c = 1; c < CIFAR100_FINE_CLASSES; c++) if (available[c] < available[classId]) classId = c;
  return { classId, count: available[classId] };
}

/**
 * Keep the first `perClass` records of each fine class, in source order, with fine and coarse labels.
 * @throws Error when a class has fewer than `perClass` records.
 */
export function selectCifar100Records(records: CifarRecords, perClass: number, classNames: string[], split: string): CifarEncodeInput {
  const fine = records.fineLabels ?? records.labels;
  const coarse = records.coarseLabels as Int32Array;
  const { indices, available, complete } = selectFirstPerClass(fine, CIFAR100_FINE_CLASSES, perClass);
  if (!complete) {
    const short = Array.from(available).findIndex((n) => n < perClass);
    throw new Error(
      `the CIFAR-100 source has only ${available[short]} ${split} images of class ${short} (${classNames[short]}); ${perClass} per class asked`,
    );
  }
  const images = new Uint8Array(indices.length * IMAGE_BYTES);
  const labels = new Int32Array(indices.length);
  const coarseLabels = new Int32Array(indices.length);
  indices.forEach((index, i) => {
    images.set(records.images.subarray(index * IMAGE_BYTES, (index + 1) * IMAGE_BYTES), i * IMAGE_BYTES);
    labels[i] = fine[index];
    coarseLabels[i] = coarse[index];
  });
  return { images, labels, coarseLabels, count: indices.length };
}
