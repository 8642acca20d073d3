// Fuzzing the readers of the user's own data: thousands of mutated tar archives of small CIFAR-10 files (written
// by GNU tar) and random bytes through readTar then readCifarFiles: only their own one-line errors may come out,
// and an accepted archive always gives a consistent data set.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CifarFilesError, readCifarFiles } from '../src/core/data/cifarFiles';
import { IMAGE_BYTES } from '../src/core/data/types';
import { readTar, TarFormatError } from '../src/core/data/tarReader';
import { createRng, type Rng } from '../src/core/rng';

/** A small valid CIFAR-10 file: `count` records cycling through the ten labels, random pixels. */
function makeCifar10(count: number, rng: Rng): Uint8Array {
  const bytes = new Uint8Array(count * (1 + IMAGE_BYTES));
  for (let i = 0; i < count; i++) {
    bytes[i * (1 + IMAGE_BYTES)] = i % 10;
    for (let p = 1; p <= IMAGE_BYTES; p++) bytes[i * (1 + IMAGE_BYTES) + p] = rng.int(256);
  }
  return bytes;
}

function makeArchive(rng: Rng): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-tar-'));
  try {
    writeFileSync(join(dir, 'train.bin'), makeCifar10(20, rng));
    writeFileSync(join(dir, 'test.bin'), makeCifar10(10, rng));
    writeFileSync(join(dir, 'labels.txt'), 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n');
    execFileSync('tar', ['-cf', join(dir, 'x.tar'), '-C', dir, 'train.bin', 'test.bin', 'labels.txt']);
    return new Uint8Array(readFileSync(join(dir, 'x.tar')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Read an archive as the worker does; returns the data set or null when refused with one of our one-line errors. */
function readOwnData(bytes: Uint8Array): ReturnType<typeof readCifarFiles> | null {
  try {
    return readCifarFiles(readTar(bytes));
  } catch (err) {
    if (!(err instanceof TarFormatError || err instanceof CifarFilesError)) throw err;
    expect(err.message).not.toContain('\n');
    return null;
  }
}

describe('own data readers under fuzzing', () => {
  const rng = createRng(11);
  const archive = makeArchive(rng);

  it('read the unmutated archive', () => {
    const set = readOwnData(archive);
    expect(set?.split.train.count).toBe(20);
    expect(set?.split.train.classNames[9]).toBe('j');
  });

  it('survive 3,000 mutated archives and random byte arrays', () => {
    let accepted = 0;
    for (let trial = 0; trial < 3000; trial++) {
      let bytes: Uint8Array;
      if (trial % 3 === 0) bytes = Uint8Array.from({ length: rng.int(4096) }, () => rng.int(256));
      else {
        bytes = archive.slice(0, trial % 3 === 1 ? archive.length : rng.int(archive.length));
        for (let k = 0; k < 1 + rng.int(6); k++) bytes[rng.int(bytes.length || 1)] = rng.int(256);
      }
      const set = readOwnData(bytes);
      if (!set) continue;
      accepted++;
      // Anything accepted is consistent: every label names a class, pixels fit the count.
      for (const split of [set.split.train, set.split.test]) {
        expect(split.images.length).toBe(split.count * IMAGE_BYTES);
        expect(split.labels.every((l) => l >= 0 && l < split.classNames.length)).toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(0); // some mutations hit pixels only
  });
});
