// Writing a prepared dataset folder (train.bin, test.bin, manifest.json) atomically, and checking
// whether an existing one is already up to date. Temporary paths are tracked so that an interrupted
// run can remove them and leave nothing half-written.

import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChannelStats } from '../../core/data/subset';

/** One output file as recorded in the manifest. */
export interface ManifestFile {
  bytes: number;
  sha256: string;
}

/** manifest.json of a prepared folder. */
export interface DataManifest {
  dataset: 'cifar10' | 'cifar100';
  /** Record format of the .bin files. */
  format: string;
  classNames: string[];
  /** CIFAR-100 only: the 20 superclass names (coarse label = index). */
  coarseClassNames?: string[];
  train: { count: number; perClass: number };
  test: { count: number; perClass: number };
  /** Per-channel mean / population std of the train split, 0..1 units. */
  mean: [number, number, number];
  std: [number, number, number];
  files: { 'train.bin': ManifestFile; 'test.bin': ManifestFile };
  source: Record<string, unknown>;
}

/** The bytes to write and what the manifest says about them (files are filled in here). */
export interface DatasetOutput {
  trainBytes: Uint8Array;
  testBytes: Uint8Array;
  manifest: Omit<DataManifest, 'files'>;
}

const temporaryPaths = new Set<string>();

/** Remember a temporary path so removeTemporaryPaths can delete it after an interruption. */
export function trackTemporaryPath(path: string): void {
  temporaryPaths.add(path);
}

/** Forget a temporary path that was renamed into place or removed. */
export function untrackTemporaryPath(path: string): void {
  temporaryPaths.delete(path);
}

/** Delete every tracked temporary path now (synchronous: safe in a signal handler). */
export function removeTemporaryPaths(): void {
  for (const path of temporaryPaths) rmSync(path, { recursive: true, force: true });
  temporaryPaths.clear();
}

/** Return the lowercase hex sha256 of some bytes. */
export function computeSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Round a statistic for the manifest (6 decimals is far below anything that matters for normalisation). */
function roundStat(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Round mean and std for the manifest. */
export function roundChannelStats(stats: ChannelStats): Pick<DataManifest, 'mean' | 'std'> {
  const round3 = (v: [number, number, number]): [number, number, number] => [roundStat(v[0]), roundStat(v[1]), roundStat(v[2])];
  return { mean: round3(stats.mean), std: round3(stats.std) };
}

/** Read a folder's manifest.json, or null if it is missing or not valid JSON. */
export async function readManifest(folder: string): Promise<DataManifest | null> {
  try {
    return JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as DataManifest;
  } catch {
    return null;
  }
}

/**
 * Return true when `folder` holds a manifest for `dataset` with the wanted per-class counts and
 * both .bin files exist with exactly the size and sha256 the manifest records.
 */
export async function isUpToDate(
  folder: string,
  dataset: DataManifest['dataset'],
  wanted: { trainPerClass: number; testPerClass: number },
): Promise<boolean> {
  const manifest = await readManifest(folder);
  if (!manifest || manifest.dataset !== dataset) return false;
  if (manifest.train?.perClass !== wanted.trainPerClass || manifest.test?.perClass !== wanted.testPerClass) return false;
  for (const name of ['train.bin', 'test.bin'] as const) {
    const expected = manifest.files?.[name];
    const path = join(folder, name);
    if (!expected || !existsSync(path)) return false;
    const bytes = await readFile(path);
    if (bytes.length !== expected.bytes || computeSha256(bytes) !== expected.sha256) return false;
  }
  return true;
}

/** Write bytes next to their destination under a temporary name; returns that name. */
async function writeTemporary(path: string, data: Uint8Array | string): Promise<string> {
  const temporary = `${path}.partial-${process.pid}`;
  trackTemporaryPath(temporary);
  await writeFile(temporary, data);
  return temporary;
}

/**
 * Write train.bin, test.bin and manifest.json into `folder`, each first under a temporary name and then
 * renamed into place. The old manifest is removed before the .bin files are replaced and the new one is
 * renamed last, so a run interrupted at any point never leaves a manifest that vouches for wrong files.
 * Returns the complete manifest.
 */
export async function writeDatasetFolder(folder: string, output: DatasetOutput): Promise<DataManifest> {
  await mkdir(folder, { recursive: true });
  const { source, ...described } = output.manifest;
  const manifest: DataManifest = {
    ...described,
    files: {
      'train.bin': { bytes: output.trainBytes.length, sha256: computeSha256(output.trainBytes) },
      'test.bin': { bytes: output.testBytes.length, sha256: computeSha256(output.testBytes) },
    },
    source,
  };
  const staged: Array<[string, string]> = [];
  try {
    staged.push([await writeTemporary(join(folder, 'train.bin'), output.trainBytes), join(folder, 'train.bin')]);
    staged.push([await writeTemporary(join(folder, 'test.bin'), output.testBytes), join(folder, 'test.bin')]);
    staged.push([await writeTemporary(join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`), join(folder, 'manifest.json')]);
    await rm(join(folder, 'manifest.json'), { force: true });
    for (const [temporary, final] of staged) {
      await rename(temporary, final);
      untrackTemporaryPath(temporary);
    }
  } finally {
    for (const [temporary] of staged) {
      await rm(temporary, { force: true });
      untrackTemporaryPath(temporary);
    }
  }
  return manifest;
}
