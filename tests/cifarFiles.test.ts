// Tests of readCifarFiles on the real subsets in ../shared/data: both official layouts, both formats, class
// names from the files that come along, and real files made truncated, foreign or incomplete.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { CIFAR10_CLASS_NAMES, CifarFilesError, readCifarFiles, type NamedFile } from '../src/core/data/cifarFiles';
import { parseCifarBinary } from '../src/core/data/cifarBinary';
import { errorMessage } from './helpers/errors';
import { requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');
const cifar100 = requireSharedData('cifar100');

const read = (path: string) => new Uint8Array(readFileSync(path));

const catchFilesError = (files: NamedFile[]): string => errorMessage(() => readCifarFiles(files), CifarFilesError);

/** The real train.bin cut at record boundaries into five official-style batches. */
function splitIntoBatches(train: Uint8Array): NamedFile[] {
  const records = train.length / 3073;
  const per = records / 5;
  return [1, 2, 3, 4, 5].map((n) => ({ name: `cifar-10-batches-bin/data_batch_${n}.bin`, bytes: train.subarray((n - 1) * per * 3073, n * per * 3073) }));
}

cifar10.describe('readCifarFiles on real CIFAR-10', () => {
  const train = read(cifar10.path('train.bin'));
  const test = read(cifar10.path('test.bin'));

  it('reads train.bin + test.bin with the default names, every image and label as the parser does', () => {
    const set = readCifarFiles([{ name: 'train.bin', bytes: train }, { name: 'test.bin', bytes: test }]);
    expect(set.dataset).toBe('cifar10');
    expect(set.split.train.count).toBe(10000);
    expect(set.split.test.count).toBe(2000);
    expect(set.split.train.classNames).toEqual(CIFAR10_CLASS_NAMES);
    const direct = parseCifarBinary(test, 'cifar10');
    expect(Buffer.from(set.split.test.images).equals(Buffer.from(direct.images))).toBe(true);
    expect(Array.from(set.split.test.labels)).toEqual(Array.from(direct.labels));
  });

  it('reads the official batch layout in batch order, with names from batches.meta.txt', () => {
    const names = ['plane', 'car', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
    const files = [
      ...splitIntoBatches(train).reverse(),
      { name: 'cifar-10-batches-bin/test_batch.bin', bytes: test },
      { name: 'cifar-10-batches-bin/batches.meta.txt', bytes: new TextEncoder().encode(`${names.join('\n')}\n\n`) },
    ];
    const set = readCifarFiles(files);
    expect(set.files.train.map((n) => n.split('/')[1])).toEqual([1, 2, 3, 4, 5].map((n) => `data_batch_${n}.bin`));
    expect(set.split.train.classNames).toEqual(names);
    expect(Buffer.from(set.split.train.images).equals(Buffer.from(parseCifarBinary(train, 'cifar10').images))).toBe(true);
  });

  it('says which batch is missing', () => {
    const files = [...splitIntoBatches(train).slice(0, 4), { name: 'test_batch.bin', bytes: test }];
    expect(catchFilesError(files)).toMatch(/missing data_batch_5\.bin/);
  });

  it('refuses a truncated test file with the file and the record size', () => {
    const message = catchFilesError([{ name: 'train.bin', bytes: train }, { name: 'test.bin', bytes: test.subarray(0, test.length - 1000) }]);
    expect(message).toMatch(/test\.bin/);
    expect(message).toMatch(/3073-byte/);
  });

  it('refuses a corrupted label byte', () => {
    const bad = test.slice();
    bad[3073 * 5] = 200;
    expect(catchFilesError([{ name: 'train.bin', bytes: train }, { name: 'test.bin', bytes: bad }])).toMatch(/record 5 .*label 200/);
  });

  it('refuses files that are not CIFAR at all', () => {
    expect(catchFilesError([{ name: 'holiday.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) }])).toMatch(/not a CIFAR data set \(got holiday\.png\)/);
    expect(catchFilesError([])).toMatch(/no files/);
  });
});

cifar100.describe('readCifarFiles on real CIFAR-100', () => {
  it('tells CIFAR-100 by its record size and reads fine_labels.txt', () => {
    const set = readCifarFiles([
      { name: 'train.bin', bytes: read(cifar100.path('train.bin')) },
      { name: 'test.bin', bytes: read(cifar100.path('test.bin')) },
      { name: 'fine_labels.txt', bytes: read(cifar100.path('fine_labels.txt')) },
    ]);
    expect(set.dataset).toBe('cifar100');
    expect(set.split.train.classNames).toHaveLength(100);
    expect(set.split.train.classNames[0]).toBe(readFileSync(cifar100.path('fine_labels.txt'), 'utf8').split('\n')[0].trim());
    expect(set.split.test.count).toBe(2000);
  });

  it('refuses CIFAR-100 bytes inside a CIFAR-10 release folder, hinting at the other format', () => {
    const message = catchFilesError([
      { name: 'cifar-10-batches-bin/train.bin', bytes: read(cifar100.path('train.bin')) },
      { name: 'cifar-10-batches-bin/test.bin', bytes: read(cifar100.path('test.bin')) },
    ]);
    expect(message).toMatch(/CIFAR-100 file\?/);
  });
});
