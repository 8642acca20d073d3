// Tests of the CIFAR binary parser/encoder: layout on hand-made records, the real subsets in
// ../shared/data (counts, known pixels and labels, byte-exact round trip) and corrupted copies.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CifarFormatError,
  countPerClass,
  encodeCifarBinary,
  parseCifarBinary,
  validateClassCounts,
} from '../src/core/data/cifarBinary';
import { errorMessage } from './helpers/errors';
import { requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');
const cifar100 = requireSharedData('cifar100');

/** Build one CIFAR-10 record whose R, G, B planes hold recognisable values. */
function makeRecord10(label: number): Uint8Array {
  const record = new Uint8Array(3073);
  record[0] = label;
  for (let p = 0; p < 1024; p++) {
    record[1 + p] = p % 256; // R
    record[1 + 1024 + p] = (p * 7) % 256; // G
    record[1 + 2048 + p] = 255 - (p % 256); // B
  }
  return record;
}

/** Return the message of the error `fn` throws, asserting it is a CifarFormatError. */
const catchFormatError = (fn: () => unknown): string => errorMessage(fn, CifarFormatError);

describe('parseCifarBinary layout (hand-made records)', () => {
  it('turns R, G, B planes into HWC pixels', () => {
    const parsed = parseCifarBinary(makeRecord10(7), 'cifar10');
    expect(parsed.count).toBe(1);
    expect(Array.from(parsed.labels)).toEqual([7]);
    for (const p of [0, 1, 31, 32, 33, 500, 1023]) {
      expect([parsed.images[p * 3], parsed.images[p * 3 + 1], parsed.images[p * 3 + 2]]).toEqual([p % 256, (p * 7) % 256, 255 - (p % 256)]);
    }
  });

  it('reads the coarse then the fine byte of a CIFAR-100 record', () => {
    const record = new Uint8Array(2 * 3074);
    record.set([4, 72], 0);
    record.set([4, 55], 3074);
    record[2] = 9;
    const parsed = parseCifarBinary(record, 'cifar100');
    expect(Array.from(parsed.labels)).toEqual([72, 55]);
    expect(Array.from(parsed.coarseLabels!)).toEqual([4, 4]);
    expect(parsed.images[0]).toBe(9);
    expect(Array.from(parseCifarBinary(record, 'cifar100', { labelKind: 'coarse' }).labels)).toEqual([4, 4]);
  });

  it('encodes back to the same bytes', () => {
    const bytes = new Uint8Array([...makeRecord10(3), ...makeRecord10(9)]);
    expect(encodeCifarBinary(parseCifarBinary(bytes, 'cifar10'), 'cifar10')).toEqual(bytes);
  });

  it('refuses to encode CIFAR-100 without coarse labels, or labels out of range', () => {
    const images = new Uint8Array(3072);
    expect(catchFormatError(() => encodeCifarBinary({ images, labels: new Int32Array([5]), count: 1 }, 'cifar100'))).toMatch(/no coarse labels/);
    expect(catchFormatError(() => encodeCifarBinary({ images, labels: new Int32Array([10]), count: 1 }, 'cifar10'))).toMatch(/label 10 is outside 0\.\.9/);
    expect(catchFormatError(() => encodeCifarBinary({ images, labels: new Int32Array([1, 2]), count: 1 }, 'cifar10'))).toMatch(/2 labels for 1 images/);
  });

  it('rejects a CIFAR-100 file whose fine label changes superclass', () => {
    const record = new Uint8Array(2 * 3074);
    record.set([4, 72], 0);
    record.set([5, 72], 3074);
    expect(catchFormatError(() => parseCifarBinary(record, 'cifar100'))).toMatch(/record 1 has fine label 72 with coarse label 5, but earlier records put fine label 72 under coarse label 4/);
  });
});

describe('validateClassCounts', () => {
  it('returns the counts when every class is present', () => {
    expect(Array.from(validateClassCounts([0, 1, 2, 1], 3))).toEqual([1, 2, 1]);
    expect(Array.from(countPerClass([0, 0, 5], 2))).toEqual([2, 0]);
  });

  it('names an empty class, a wrong count and an out-of-range label', () => {
    expect(catchFormatError(() => validateClassCounts([0, 2], 3, { classNames: ['a', 'b', 'c'], source: 'train.bin' }))).toBe(
      'train.bin: class 1 (b) has no images; all 3 classes must be present',
    );
    expect(catchFormatError(() => validateClassCounts([0, 1, 1], 2, { perClass: 2 }))).toBe('class 0 has 1 images, expected 2');
    expect(catchFormatError(() => validateClassCounts([0, 3], 2))).toMatch(/image 1 has label 3, expected 0\.\.1/);
  });
});

cifar10.describe('parseCifarBinary on the real CIFAR-10 subset', () => {
  let trainBytes: Uint8Array;
  let testBytes: Uint8Array;
  beforeAll(() => {
    trainBytes = readFileSync(cifar10.path('train.bin'));
    testBytes = readFileSync(cifar10.path('test.bin'));
  });

  it('holds 1000 train and 200 test images per class', () => {
    const train = parseCifarBinary(trainBytes, 'cifar10');
    const test = parseCifarBinary(testBytes, 'cifar10');
    expect(train.count).toBe(10000);
    expect(test.count).toBe(2000);
    expect(train.images.length).toBe(10000 * 3072);
    validateClassCounts(train.labels, 10, { perClass: 1000 });
    validateClassCounts(test.labels, 10, { perClass: 200 });
  });

  it('has the known official first pixels and first test labels', () => {
    const train = parseCifarBinary(trainBytes, 'cifar10');
    const test = parseCifarBinary(testBytes, 'cifar10');
    expect(Array.from(test.images.subarray(0, 3))).toEqual([158, 112, 49]);
    expect(Array.from(train.images.subarray(0, 3))).toEqual([59, 62, 63]);
    expect(Array.from(test.labels.subarray(0, 10))).toEqual([3, 8, 8, 0, 6, 6, 1, 6, 3, 1]);
  });

  it('round-trips byte for byte', () => {
    for (const bytes of [trainBytes, testBytes]) {
      const encoded = encodeCifarBinary(parseCifarBinary(bytes, 'cifar10'), 'cifar10');
      expect(Buffer.from(encoded).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('rejects a copy truncated by one byte', () => {
    const message = catchFormatError(() => parseCifarBinary(testBytes.subarray(0, testBytes.length - 1), 'cifar10'));
    expect(message).toBe('file is 6145999 bytes: not a multiple of the 3073-byte CIFAR-10 record');
  });

  it('rejects a label byte out of range, naming the record', () => {
    const copy = Uint8Array.from(testBytes);
    copy[17 * 3073] = 12;
    expect(catchFormatError(() => parseCifarBinary(copy, 'cifar10'))).toBe('record 17 (byte 52241) has label 12, CIFAR-10 labels are 0..9');
  });

  it('rejects an empty file', () => {
    expect(catchFormatError(() => parseCifarBinary(new Uint8Array(0), 'cifar10'))).toBe('file is empty: a CIFAR-10 file holds 3073-byte records');
  });

  it('hints at CIFAR-10 when a CIFAR-10 file is parsed as CIFAR-100', () => {
    const tenRecords = testBytes.subarray(0, 3073 * 10);
    expect(catchFormatError(() => parseCifarBinary(tenRecords, 'cifar100'))).toMatch(/not a multiple of the 3074-byte CIFAR-100 record \(it is 10 records of the 3073-byte CIFAR-10 format: is this a CIFAR-10 file\?\)/);
  });
});

cifar100.describe('parseCifarBinary on the real CIFAR-100 subset', () => {
  let trainBytes: Uint8Array;
  let testBytes: Uint8Array;
  beforeAll(() => {
    trainBytes = readFileSync(cifar100.path('train.bin'));
    testBytes = readFileSync(cifar100.path('test.bin'));
  });

  it('holds 60 train and 20 test images per fine class, 300 / 100 per superclass', () => {
    const train = parseCifarBinary(trainBytes, 'cifar100');
    const test = parseCifarBinary(testBytes, 'cifar100');
    expect(train.count).toBe(6000);
    expect(test.count).toBe(2000);
    validateClassCounts(train.labels, 100, { perClass: 60 });
    validateClassCounts(test.labels, 100, { perClass: 20 });
    validateClassCounts(train.coarseLabels!, 20, { perClass: 300 });
    validateClassCounts(test.coarseLabels!, 20, { perClass: 100 });
  });

  it('groups exactly 5 fine classes under each superclass, the same in both splits', () => {
    const train = parseCifarBinary(trainBytes, 'cifar100');
    const test = parseCifarBinary(testBytes, 'cifar100');
    const coarseOf = new Map<number, number>();
    for (const split of [train, test]) {
      split.labels.forEach((fine, i) => {
        const coarse = split.coarseLabels![i];
        expect(coarseOf.get(fine) ?? coarse).toBe(coarse);
        coarseOf.set(fine, coarse);
      });
    }
    const finePerCoarse = countPerClass([...coarseOf.values()], 20);
    expect(Array.from(finePerCoarse)).toEqual(new Array(20).fill(5));
  });

  it('parses coarse labels on request', () => {
    const coarse = parseCifarBinary(testBytes, 'cifar100', { labelKind: 'coarse' });
    expect(Math.max(...coarse.labels)).toBe(19);
    expect(Array.from(coarse.fineLabels!)).toEqual(Array.from(parseCifarBinary(testBytes, 'cifar100').labels));
  });

  it('round-trips byte for byte', () => {
    for (const bytes of [trainBytes, testBytes]) {
      const encoded = encodeCifarBinary(parseCifarBinary(bytes, 'cifar100'), 'cifar100');
      expect(Buffer.from(encoded).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('hints at CIFAR-100 when a CIFAR-100 file is parsed as CIFAR-10', () => {
    expect(catchFormatError(() => parseCifarBinary(testBytes, 'cifar10'))).toBe(
      'file is 6148000 bytes: not a multiple of the 3073-byte CIFAR-10 record (it is 2000 records of the 3074-byte CIFAR-100 format: is this a CIFAR-100 file?)',
    );
  });

  it('rejects out-of-range coarse and fine bytes', () => {
    const copy = Uint8Array.from(testBytes.subarray(0, 3074 * 4));
    copy[3 * 3074] = 20;
    expect(catchFormatError(() => parseCifarBinary(copy, 'cifar100'))).toBe('record 3 (byte 9222) has coarse label 20, CIFAR-100 coarse labels are 0..19');
    copy[3 * 3074] = 0;
    copy[2 * 3074 + 1] = 100;
    expect(catchFormatError(() => parseCifarBinary(copy, 'cifar100'))).toBe('record 2 (byte 6149) has fine label 100, CIFAR-100 fine labels are 0..99');
  });
});
