// Tests of loadDataDir on the real subsets in ../shared/data, on the official folder layouts rebuilt
// from them in temporary folders, and on broken folders (missing files, empty class, wrong format).

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CifarFormatError, countPerClass } from '../src/core/data/cifarBinary';
import { DataDirError, loadDataDir } from '../src/cli/loadDataDir';
import { requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');
const cifar100 = requireSharedData('cifar100');

const CIFAR10_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

const tempRoot = mkdtempSync(join(tmpdir(), 'opl-loaddatadir-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

/** Make a fresh empty folder under the test's temporary root. */
function makeFolder(name: string): string {
  const dir = join(tempRoot, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('loadDataDir on missing folders', () => {
  it('says which files were looked for and suggests npm run data', async () => {
    const dir = makeFolder('only-train');
    writeFileSync(join(dir, 'train.bin'), new Uint8Array(3073));
    const error = await loadDataDir(dir, { dataset: 'cifar10' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirError);
    const message = (error as Error).message;
    expect(message).toContain('looked for train.bin + test.bin, or data_batch_1.bin..data_batch_5.bin + test_batch.bin');
    expect(message).toContain('missing test.bin');
    expect(message).toContain('npm run data');
    expect(message).not.toContain('\n');
  });

  it('reports a folder that does not exist', async () => {
    await expect(loadDataDir(join(tempRoot, 'nope'), { dataset: 'cifar100' })).rejects.toThrow(/does not exist; run `npm run data`/);
  });

  it('rejects coarse labels for CIFAR-10', async () => {
    await expect(loadDataDir(tempRoot, { dataset: 'cifar10', labelKind: 'coarse' })).rejects.toThrow(/only exists for cifar100/);
  });
});

cifar10.describe('loadDataDir with CIFAR-10', () => {
  it('loads ../shared/data/cifar10 with names from labels.txt', async () => {
    const split = await loadDataDir(cifar10.dir, { dataset: 'cifar10' });
    expect(split.train.count).toBe(10000);
    expect(split.test.count).toBe(2000);
    expect(split.train.classNames).toEqual(CIFAR10_NAMES);
    expect(split.test.classNames).toEqual(CIFAR10_NAMES);
    expect(Array.from(countPerClass(split.train.labels, 10))).toEqual(new Array(10).fill(1000));
    expect(Array.from(split.test.images.subarray(0, 3))).toEqual([158, 112, 49]);
  });

  it('loads the official layout (data_batch_1..5.bin, test_batch.bin, batches.meta.txt) in cifar-10-batches-bin/', async () => {
    const dir = join(makeFolder('official10'), 'cifar-10-batches-bin');
    mkdirSync(dir);
    const train = readFileSync(cifar10.path('train.bin'));
    for (let b = 0; b < 5; b++) writeFileSync(join(dir, `data_batch_${b + 1}.bin`), train.subarray(b * 2000 * 3073, (b + 1) * 2000 * 3073));
    copyFileSync(cifar10.path('test.bin'), join(dir, 'test_batch.bin'));
    writeFileSync(join(dir, 'batches.meta.txt'), `${CIFAR10_NAMES.join('\n')}\n\n`);
    const split = await loadDataDir(join(tempRoot, 'official10'), { dataset: 'cifar10' });
    expect(split.train.count).toBe(10000);
    expect(split.train.classNames).toEqual(CIFAR10_NAMES);
    const direct = await loadDataDir(cifar10.dir, { dataset: 'cifar10' });
    expect(Buffer.from(split.train.images).equals(Buffer.from(direct.train.images))).toBe(true);
  });

  it('prefers manifest.json names and falls back to generic names', async () => {
    const dir = makeFolder('manifest10');
    copyFileSync(cifar10.path('train.bin'), join(dir, 'train.bin'));
    copyFileSync(cifar10.path('test.bin'), join(dir, 'test.bin'));
    expect((await loadDataDir(dir, { dataset: 'cifar10' })).train.classNames[9]).toBe('class_9');
    const names = CIFAR10_NAMES.map((n) => n.toUpperCase());
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ dataset: 'cifar10', classNames: names }));
    writeFileSync(join(dir, 'labels.txt'), CIFAR10_NAMES.join('\n'));
    expect((await loadDataDir(dir, { dataset: 'cifar10' })).train.classNames).toEqual(names);
    await expect(loadDataDir(dir, { dataset: 'cifar100' })).rejects.toThrow(/describes cifar10, but cifar100 was asked for/);
  });

  it('rejects a names file with the wrong number of lines', async () => {
    const dir = makeFolder('badnames10');
    copyFileSync(cifar10.path('train.bin'), join(dir, 'train.bin'));
    copyFileSync(cifar10.path('test.bin'), join(dir, 'test.bin'));
    writeFileSync(join(dir, 'labels.txt'), 'cat\ndog\n');
    await expect(loadDataDir(dir, { dataset: 'cifar10' })).rejects.toThrow(/labels\.txt lists 2 class names, expected 10/);
  });

  it('names the class that has no images', async () => {
    const dir = makeFolder('noTrucks');
    const train = readFileSync(cifar10.path('train.bin'));
    const kept: Buffer[] = [];
    for (let i = 0; i < 10000; i++) if (train[i * 3073] !== 9) kept.push(train.subarray(i * 3073, (i + 1) * 3073));
    writeFileSync(join(dir, 'train.bin'), Buffer.concat(kept));
    copyFileSync(cifar10.path('test.bin'), join(dir, 'test.bin'));
    copyFileSync(cifar10.path('labels.txt'), join(dir, 'labels.txt'));
    const error = await loadDataDir(dir, { dataset: 'cifar10' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CifarFormatError);
    expect((error as Error).message).toMatch(/train\.bin: class 9 \(truck\) has no images; all 10 classes must be present$/);
  });

  it('names the file that is not CIFAR-10', async () => {
    const dir = makeFolder('truncated10');
    const test = readFileSync(cifar10.path('test.bin'));
    copyFileSync(cifar10.path('train.bin'), join(dir, 'train.bin'));
    writeFileSync(join(dir, 'test.bin'), test.subarray(0, test.length - 1));
    await expect(loadDataDir(dir, { dataset: 'cifar10' })).rejects.toThrow(/test\.bin: file is 6145999 bytes: not a multiple of the 3073-byte CIFAR-10 record/);
  });
});

cifar100.describe('loadDataDir with CIFAR-100', () => {
  it('loads ../shared/data/cifar100 with fine labels and names', async () => {
    const split = await loadDataDir(cifar100.dir, { dataset: 'cifar100' });
    expect(split.train.count).toBe(6000);
    expect(split.test.count).toBe(2000);
    expect(split.train.classNames).toHaveLength(100);
    expect(split.train.classNames.slice(0, 3)).toEqual(['apple', 'aquarium_fish', 'baby']);
    expect(split.train.classNames).toContain('maple_tree');
    expect(Array.from(countPerClass(split.test.labels, 100))).toEqual(new Array(100).fill(20));
  });

  it('loads the 20 superclasses with labelKind coarse', async () => {
    const split = await loadDataDir(cifar100.dir, { dataset: 'cifar100', labelKind: 'coarse' });
    expect(split.train.classNames).toHaveLength(20);
    expect(split.train.classNames[0]).toBe('aquatic_mammals');
    expect(Array.from(countPerClass(split.train.labels, 20))).toEqual(new Array(20).fill(300));
  });

  it('loads the official layout in cifar-100-binary/ with *_label_names.txt', async () => {
    const dir = join(makeFolder('official100'), 'cifar-100-binary');
    mkdirSync(dir);
    copyFileSync(cifar100.path('train.bin'), join(dir, 'train.bin'));
    copyFileSync(cifar100.path('test.bin'), join(dir, 'test.bin'));
    copyFileSync(cifar100.path('fine_labels.txt'), join(dir, 'fine_label_names.txt'));
    copyFileSync(cifar100.path('coarse_labels.txt'), join(dir, 'coarse_label_names.txt'));
    const split = await loadDataDir(join(tempRoot, 'official100'), { dataset: 'cifar100', labelKind: 'coarse' });
    expect(split.test.classNames[19]).toBe('vehicles_2');
    expect(split.test.count).toBe(2000);
  });

  it('explains a CIFAR-100 folder loaded as CIFAR-10', async () => {
    await expect(loadDataDir(cifar100.dir, { dataset: 'cifar10' })).rejects.toThrow(/is this a CIFAR-100 file\?/);
  });
});
