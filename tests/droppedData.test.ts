// The worker's reader of dropped files, in Node (which has File and DecompressionStream too): real CIFAR-10 files
// from ../shared/data, loose and as a .tar.gz written by GNU tar; truncated gzip, oversized drops and archives
// that unpack past the cap are refused with one line.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { countPerClass } from '../src/core/data/cifarBinary';
import { DroppedDataError, readDroppedData } from '../src/worker/droppedData';
import { requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');
let dir: string;
let gz: Buffer;
let test: Buffer;
let train: Buffer;

beforeAll(() => {
  if (!cifar10.available) return;
  dir = mkdtempSync(join(tmpdir(), 'dropped-'));
  const release = join(dir, 'cifar-10-batches-bin');
  mkdirSync(release);
  train = readFileSync(cifar10.path('train.bin')).subarray(0, 3000 * 3073);
  test = readFileSync(cifar10.path('test.bin'));
  writeFileSync(join(release, 'train.bin'), train);
  writeFileSync(join(release, 'test.bin'), test);
  execFileSync('tar', ['-czf', join(dir, 'cifar-10-binary.tar.gz'), '-C', dir, 'cifar-10-batches-bin']);
  gz = readFileSync(join(dir, 'cifar-10-binary.tar.gz'));
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

const file = (bytes: Uint8Array, name: string) => new File([bytes as BlobPart], name);

async function refusal(files: File[], options?: { maxBytes?: number }): Promise<string> {
  try {
    await readDroppedData(files, () => {}, options);
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

cifar10.it('reads a .tar.gz of the release with progress up to 1, bounded by the smallest class', async () => {
  const fractions: number[] = [];
  const { data, source } = await readDroppedData([file(gz, 'cifar-10-binary.tar.gz')], (f) => fractions.push(f));
  expect(source).toBe('cifar-10-binary.tar.gz');
  expect(data.manifest.dataset).toBe('cifar10');
  expect(data.manifest.train.count).toBe(3000);
  expect(data.manifest.train.perClass).toBe(Math.min(...countPerClass(data.split.train.labels, 10)));
  expect(data.manifest.test).toEqual({ count: 2000, perClass: 200 });
  expect(fractions.length).toBeGreaterThan(1);
  expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1]))).toBe(true);
  expect(fractions[fractions.length - 1]).toBe(1);
});

cifar10.it('reads loose train.bin + test.bin the same as the archive', async () => {
  const loose = await readDroppedData([file(train, 'train.bin'), file(test, 'test.bin')], () => {});
  const packed = await readDroppedData([file(gz, 'cifar-10-binary.tar.gz')], () => {});
  expect(Buffer.from(loose.data.split.test.images).equals(Buffer.from(packed.data.split.test.images))).toBe(true);
  expect(Array.from(loose.data.split.train.labels)).toEqual(Array.from(packed.data.split.train.labels));
});

cifar10.it('refuses a truncated gzip file', async () => {
  expect(await refusal([file(gz.subarray(0, Math.floor(gz.length / 2)), 'cifar-10-binary.tar.gz')])).toMatch(/truncated or corrupted gzip/);
});

cifar10.it('refuses drops over the cap, and archives that unpack past it', async () => {
  expect(await refusal([file(gz, 'cifar-10-binary.tar.gz')], { maxBytes: gz.length - 1 })).toMatch(/more than the .* MB a CIFAR data set needs/);
  expect(await refusal([file(gz, 'cifar-10-binary.tar.gz')], { maxBytes: gz.length + 1000 })).toMatch(/unpacks to more than/);
});

cifar10.it('refuses an empty drop and a gzip of something that is not CIFAR', async () => {
  expect(await refusal([])).toMatch(/no files/);
  const notes = execFileSync('gzip', ['-c'], { input: 'just some notes\n' });
  expect(await refusal([file(notes, 'notes.txt.gz')])).toMatch(/not a CIFAR data set \(got notes\.txt\)/);
  await expect(readDroppedData([file(gz.subarray(0, 10), 'x.tar.gz')], () => {})).rejects.toBeInstanceOf(DroppedDataError);
});
