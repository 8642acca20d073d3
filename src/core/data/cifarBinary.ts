// Reads and writes the official CIFAR-10 / CIFAR-100 binary record formats (planes per image)
// and converts them to and from the in-memory HWC layout of ImageDataset. Framework-free and
// free of Node imports, so the browser uses the same parser as the CLI.

import { IMAGE_BYTES, IMAGE_SIZE } from './types';

/** The two supported record formats. */
export type CifarFormat = 'cifar10' | 'cifar100';

/** Which CIFAR-100 label becomes `labels`: the 100 fine classes or the 20 superclasses. */
export type CifarLabelKind = 'fine' | 'coarse';

/** Record sizes in bytes: label byte(s) followed by 3072 pixel bytes. */
export const CIFAR10_RECORD_BYTES = 1 + IMAGE_BYTES;
export const CIFAR100_RECORD_BYTES = 2 + IMAGE_BYTES;

/** Number of classes per label kind. */
export const CIFAR10_CLASSES = 10;
export const CIFAR100_FINE_CLASSES = 100;
export const CIFAR100_COARSE_CLASSES = 20;

const PLANE_BYTES = IMAGE_SIZE * IMAGE_SIZE;

/** Thrown when bytes are not a valid CIFAR file, or labels do not fit the format. */
export class CifarFormatError extends Error {
  override name = 'CifarFormatError';
}

/** Parsed records: pixels in HWC order, one label per record, and for CIFAR-100 both label kinds. */
export interface CifarRecords {
  /** count x 32 x 32 x 3 bytes, HWC. */
  images: Uint8Array;
  /** The labels asked for (CIFAR-10 labels, or CIFAR-100 fine / coarse labels). */
  labels: Int32Array;
  /** CIFAR-100 only: the 20-superclass labels. */
  coarseLabels?: Int32Array;
  /** CIFAR-100 only: the 100 fine labels (equal to `labels` unless labelKind is 'coarse'). */
  fineLabels?: Int32Array;
  /** Number of records. */
  count: number;
}

/** Records to encode: HWC pixels and labels; for CIFAR-100 `labels` are the fine labels and coarseLabels is required. */
export interface CifarEncodeInput {
  images: Uint8Array;
  labels: Int32Array;
  coarseLabels?: Int32Array;
  count: number;
}

/** Return the record size in bytes of a format. */
export function getRecordBytes(format: CifarFormat): number {
  return format === 'cifar10' ? CIFAR10_RECORD_BYTES : CIFAR100_RECORD_BYTES;
}

/** Return the display name of a format ("CIFAR-10" / "CIFAR-100"). */
export function describeFormat(format: CifarFormat): string {
  return format === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100';
}

/** Return the number of classes for a format and label kind. */
export function getClassCount(format: CifarFormat, labelKind: CifarLabelKind = 'fine'): number {
  if (format === 'cifar10') return CIFAR10_CLASSES;
  return labelKind === 'coarse' ? CIFAR100_COARSE_CLASSES : CIFAR100_FINE_CLASSES;
}

/** Describe why a byte length does not fit a format, hinting at the other format when it would fit. */
function describeBadLength(length: number, format: CifarFormat): string {
  const recordBytes = getRecordBytes(format);
  const name = describeFormat(format);
  const other: CifarFormat = format === 'cifar10' ? 'cifar100' : 'cifar10';
  const otherBytes = getRecordBytes(other);
  if (length === 0) return `file is empty: a ${name} file holds ${recordBytes}-byte records`;
  let message = `file is ${length} bytes: not a multiple of the ${recordBytes}-byte ${name} record`;
  if (length % otherBytes === 0) {
    message += ` (it is ${length / otherBytes} records of the ${otherBytes}-byte ${describeFormat(other)} format: is this a ${describeFormat(other)} file?)`;
  }
  return message;
}

/** Copy one image's three 1024-byte planes (R, G, B) from `src` into HWC order in `dst`. */
function copyPlanesToHwc(src: Uint8Array, srcOffset: number, dst: Uint8Array, dstOffset: number): void {
  for (let p = 0; p < PLANE_BYTES; p++) {
    const d = dstOffset + p * 3;
    dst[d] = src[srcOffset + p];
    dst[d + 1] = src[srcOffset + PLANE_BYTES + p];
    dst[d + 2] = src[srcOffset + 2 * PLANE_BYTES + p];
  }
}

/** Copy one HWC image from `src` into three planes (R, G, B) in `dst`. */
function copyHwcToPlanes(src: Uint8Array, srcOffset: number, dst: Uint8Array, dstOffset: number): void {
  for (let p = 0; p < PLANE_BYTES; p++) {
    const s = srcOffset + p * 3;
    dst[dstOffset + p] = src[s];
    dst[dstOffset + PLANE_BYTES + p] = src[s + 1];
    dst[dstOffset + 2 * PLANE_BYTES + p] = src[s + 2];
  }
}

/**
 * Parse a file in the official CIFAR binary format.
 * CIFAR-10 record: 1 label byte + 3072 pixel bytes; CIFAR-100 record: coarse byte + fine byte + 3072.
 * Pixels come as 1024 R, 1024 G, 1024 B (each 32x32 row-major) and are returned HWC.
 * For CIFAR-100 also checks that every fine label always comes with the same coarse label.
 * @throws CifarFormatError when the length or a label byte does not fit the format.
 */
export function parseCifarBinary(
  bytes: Uint8Array,
  format: CifarFormat,
  options: { labelKind?: CifarLabelKind } = {},
): CifarRecords {
  const recordBytes = getRecordBytes(format);
  if (bytes.length === 0 || bytes.length % recordBytes !== 0) {
    throw new CifarFormatError(describeBadLength(bytes.length, format));
  }
  const count = bytes.length / recordBytes;
  const images = new Uint8Array(count * IMAGE_BYTES);
  if (format === 'cifar10') {
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const offset = i * recordBytes;
      const label = bytes[offset];
      if (label >= CIFAR10_CLASSES) {
        throw new CifarFormatError(
          `record ${i} (byte ${offset}) has label ${label}, CIFAR-10 labels are 0..${CIFAR10_CLASSES - 1}`,
        );
      }
      labels[i] = label;
      copyPlanesToHwc(bytes, offset + 1, images, i * IMAGE_BYTES);
    }
    return { images, labels, count };
  }
  const coarseLabels = new Int32Array(count);
  const fineLabels = new Int32Array(count);
  const coarseOfFine = new Int32Array(CIFAR100_FINE_CLASSES).fill(-1);
  for (let i = 0; i < count; i++) {
    const offset = i * recordBytes;
    const coarse = bytes[offset];
    const fine = bytes[offset + 1];
    if (coarse >= CIFAR100_COARSE_CLASSES) {
      throw new CifarFormatError(
        `record ${i} (byte ${offset}) has coarse label ${coarse}, CIFAR-100 coarse labels are 0..${CIFAR100_COARSE_CLASSES - 1}`,
      );
    }
    if (fine >= CIFAR100_FINE_CLASSES) {
      throw new CifarFormatError(
        `record ${i} (byte ${offset + 1}) has fine label ${fine}, CIFAR-100 fine labels are 0..${CIFAR100_FINE_CLASSES - 1}`,
      );
    }
    if (coarseOfFine[fine] === -1) coarseOfFine[fine] = coarse;
    else if (coarseOfFine[fine] !== coarse) {
      throw new CifarFormatError(
        `record ${i} has fine label ${fine} with coarse label ${coarse}, but earlier records put fine label ${fine} under coarse label ${coarseOfFine[fine]}`,
      );
    }
    coarseLabels[i] = coarse;
    fineLabels[i] = fine;
    copyPlanesToHwc(bytes, offset + 2, images, i * IMAGE_BYTES);
  }
  const labels = options.labelKind === 'coarse' ? coarseLabels : fineLabels;
  return { images, labels, coarseLabels, fineLabels, count };
}

/** Throw unless every label lies in 0..limit-1. */
function assertLabelsInRange(labels: Int32Array, limit: number, what: string): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(label >= 0 && label < limit)) {
      throw new CifarFormatError(`cannot encode record ${i}: ${what} ${label} is outside 0..${limit - 1}`);
    }
  }
}

/**
 * Encode HWC images and labels in the official CIFAR binary format (the inverse of parseCifarBinary).
 * For CIFAR-100, `labels` are the fine labels and `coarseLabels` must be given.
 * @throws CifarFormatError when sizes disagree or a label does not fit the format.
 */
export function encodeCifarBinary(data: CifarEncodeInput, format: CifarFormat): Uint8Array {
  const { images, labels, coarseLabels, count } = data;
  if (!Number.isInteger(count) || count < 0) throw new CifarFormatError(`cannot encode: count ${count} is not a whole number`);
  if (images.length !== count * IMAGE_BYTES) {
    throw new CifarFormatError(`cannot encode: ${images.length} pixel bytes for ${count} images (expected ${count * IMAGE_BYTES})`);
  }
  if (labels.length !== count) throw new CifarFormatError(`cannot encode: ${labels.length} labels for ${count} images`);
  const recordBytes = getRecordBytes(format);
  const out = new Uint8Array(count * recordBytes);
  if (format === 'cifar10') {
    assertLabelsInRange(labels, CIFAR10_CLASSES, 'label');
    for (let i = 0; i < count; i++) {
      const offset = i * recordBytes;
      out[offset] = labels[i];
      copyHwcToPlanes(images, i * IMAGE_BYTES, out, offset + 1);
    }
    return out;
  }
  if (!coarseLabels || coarseLabels.length !== count) {
    throw new CifarFormatError(
      `cannot encode CIFAR-100: ${coarseLabels ? `${coarseLabels.length} coarse labels` : 'no coarse labels'} for ${count} images`,
    );
  }
  assertLabelsInRange(labels, CIFAR100_FINE_CLASSES, 'fine label');
  assertLabelsInRange(coarseLabels, CIFAR100_COARSE_CLASSES, 'coarse label');
  for (let i = 0; i < count; i++) {
    const offset = i * recordBytes;
    out[offset] = coarseLabels[i];
    out[offset + 1] = labels[i];
    copyHwcToPlanes(images, i * IMAGE_BYTES, out, offset + 2);
  }
  return out;
}

/** Count how many labels fall in each class 0..numClasses-1 (labels outside that range are ignored). */
export function countPerClass(labels: ArrayLike<number>, numClasses: number): Int32Array {
  const counts = new Int32Array(numClasses);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label >= 0 && label < numClasses) counts[label]++;
  }
  return counts;
}

/** What validateClassCounts should check beyond "every class has an image". */
export interface ClassCountExpectation {
  /** Every class must hold exactly this many images. */
  perClass?: number;
  /** Names used in messages (index = label). */
  classNames?: readonly string[];
  /** What the labels belong to, e.g. "train.bin"; prefixes the message. */
  source?: string;
}

/**
 * Check that every class 0..numClasses-1 has at least one image (and, if asked, exactly `perClass`)
 * and that no label lies outside that range. Returns the per-class counts.
 * @throws CifarFormatError naming the first offending class.
 */
export function validateClassCounts(
  labels: ArrayLike<number>,
  numClasses: number,
  expectation: ClassCountExpectation = {},
): Int32Array {
  const prefix = expectation.source ? `${expectation.source}: ` : '';
  const nameOf = (c: number): string => (expectation.classNames?.[c] ? ` (${expectation.classNames[c]})` : '');
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(Number.isInteger(label) && label >= 0 && label < numClasses)) {
      throw new CifarFormatError(`${prefix}image ${i} has label ${label}, expected 0..${numClasses - 1}`);
    }
  }
  const counts = countPerClass(labels, numClasses);
  for (let c = 0; c < numClasses; c++) {
    if (counts[c] === 0) {
      throw new CifarFormatError(
        `${prefix}class ${c}${nameOf(c)} has no images; all ${numClasses} classes must be present`,
      );
    }
    if (expectation.perClass !== undefined && counts[c] !== expectation.perClass) {
      throw new CifarFormatError(
        `${prefix}class ${c}${nameOf(c)} has ${counts[c]} images, expected ${expectation.perClass}`,
      );
    }
  }
  return counts;
}
