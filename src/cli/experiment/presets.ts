// The experiment runner's presets, one block each (nanoGPT-config style): shared training arguments first,
// then each preset overrides only what differs and says why in a one-line comment.

/** One `npm run train` invocation per seed; its JSON `runs` become rows of the report. */
export interface ExperimentJob {
  /** Row label prefix, e.g. 'γ 2'; the run name (CE, CE + OPL) is appended. */
  label: string;
  /** Arguments added to the preset's `args` for this job. */
  args: string[];
  /** For the γ plot: the job's position on the x axis. */
  x?: number;
}

/** How the PNG plot lays the results out. */
export type PlotKind =
  | 'metrics' // x = the report's metrics, one point per run (CE, CE + OPL)
  | 'gamma' // x = γ (log scale), panels for test accuracy and different-class cosine; CE repeated at every γ
  | 'perClass'; // x = class (largest to smallest), per-class test accuracy

/** One run's `final` object in the train JSON (the fields the runner reads; commands may add more). */
export interface RunFinal {
  testAccuracy: number;
  meanSameClassCos: number;
  meanDiffClassCos: number;
  classMeanOffDiagCos: number;
  perClassAccuracy: number[];
  [key: string]: unknown;
}

/** A preset's own metric: a name and how to read it from one run's final results. */
export interface ExtraMetric {
  name: string;
  read: (final: RunFinal) => number;
}

export interface ExperimentPreset {
  /** One line for the report and --help. */
  summary: string;
  /** Training arguments shared by every job (sizes, schedule). */
  args: string[];
  /** What --quick replaces them with: a run of seconds, for tests and smoke checks. */
  quickArgs: string[];
  jobs: ExperimentJob[];
  plot: PlotKind;
  /** The preset's own metrics besides accuracy and the three cosines. */
  extra: ExtraMetric[];
  /** Default data set folder when --data-dir is not given. */
  dataDir: string;
}

// Shared by every CIFAR-10 preset: 10 classes, a ResNet-8 small enough for a 2-core machine.
const CIFAR10_ARGS = [
  '--dataset', 'cifar10',
  '--classes', '10',
  '--train-per-class', '100', // 1,000 training images: about 4 minutes per paired run on a busy 2-core machine
  '--test-per-class', '100', // 1,000 test images for the metrics
  '--model', 'resnet8',
  '--width', '8', // 8/16/32 channels
  '--batch', '32', // 31 steps per epoch at this size
  '--epochs', '10',
  '--lr', '0.05', // the shared measurements' rate (OPL.md); 0.1 is unstable at batch 32
];

// --quick: 3 classes × 16 images, width 4, 2 epochs — seconds, for the end-to-end test.
const QUICK_ARGS = ['--classes', '3', '--train-per-class', '16', '--test-per-class', '10', '--width', '4', '--batch', '8', '--epochs', '2'];

const GAMMAS = [0.25, 0.5, 1, 2, 4];

// Few-shot on CIFAR-100: train on 20 base classes, then 5-way 5-shot episodes on 20 novel classes the
// networks never saw (all 80 images of each: train and test files), nearest-centroid on frozen features.
const FEWSHOT_ARGS = [
  '--dataset', 'cifar100',
  '--classes', '40', // the first 40 fine classes: 20 base + 20 novel
  '--base-classes', '20',
  '--train-per-class', '60', // every training image of the shared CIFAR-100 subset
  '--test-per-class', '20',
  '--model', 'resnet8',
  '--width', '8',
  '--batch', '32',
  '--epochs', '10',
  '--lr', '0.05',
  '--fewshot', '5,5',
  '--queries', '15',
  '--episodes', '600', // the usual count in the few-shot literature; the 95% interval is over these
  '--fewshot-classifier', 'centroid',
];

/** The mean few-shot accuracy a run's final results carry (train --fewshot). */
function readFewShot(final: RunFinal): number {
  const fewShot = final.fewShot as { meanAccuracy?: number } | undefined;
  return fewShot?.meanAccuracy ?? NaN;
}

/** Accuracy under attack (train --attack). */
function readAttack(final: RunFinal): number {
  const attack = final.attack as { adversarialAccuracy?: number } | undefined;
  return attack?.adversarialAccuracy ?? NaN;
}

export const PRESETS: Record<string, ExperimentPreset> = {
  // The plain comparison at the README's default weights (λ 1, γ 0.5).
  clean: {
    summary: 'CE vs CE + OPL (λ 1, γ 0.5) on clean CIFAR-10',
    args: CIFAR10_ARGS,
    quickArgs: QUICK_ARGS,
    jobs: [{ label: 'γ 0.5', args: ['--gamma', '0.5'] }],
    plot: 'metrics',
    extra: [],
    dataDir: 'public/data/cifar10',
  },
  // γ 0.25…4 at λ 1: where inter-class orthogonality appears and what it costs. CE does not depend on γ, so it
  // is trained once per seed (same init and batches as every OPL run: the pairing holds).
  'gamma-sweep': {
    summary: 'CE + OPL at γ 0.25, 0.5, 1, 2, 4 (λ 1) against CE on clean CIFAR-10',
    args: CIFAR10_ARGS,
    quickArgs: QUICK_ARGS,
    jobs: [
      { label: 'CE', args: ['--loss', 'ce'] },
      ...GAMMAS.map((g) => ({ label: `γ ${g}`, args: ['--loss', 'opl', '--gamma', String(g)], x: g })),
    ],
    plot: 'gamma',
    extra: [],
    dataDir: 'public/data/cifar10',
  },
  // 40% symmetric label noise on the training labels (test labels clean), as in the paper's label-noise table.
  noise40: {
    summary: 'CE vs CE + OPL (λ 1, γ 0.5) with 40% symmetric label noise on CIFAR-10 (test labels clean)',
    args: [...CIFAR10_ARGS, '--label-noise', '0.4', '--noise-kind', 'symmetric'],
    quickArgs: [...QUICK_ARGS, '--label-noise', '0.4', '--noise-kind', 'symmetric'],
    jobs: [{ label: 'γ 0.5', args: ['--gamma', '0.5'] }],
    plot: 'metrics',
    extra: [],
    dataDir: 'public/data/cifar10',
  },
  // 40% pair-flip (class-dependent) noise: c → c+1, the harder case in the paper's table.
  pairflip: {
    summary: 'CE vs CE + OPL (λ 1, γ 0.5) with 40% pair-flip label noise on CIFAR-10 (test labels clean)',
    args: [...CIFAR10_ARGS, '--label-noise', '0.4', '--noise-kind', 'pairflip'],
    quickArgs: [...QUICK_ARGS, '--label-noise', '0.4', '--noise-kind', 'pairflip'],
    jobs: [{ label: 'γ 0.5', args: ['--gamma', '0.5'] }],
    plot: 'metrics',
    extra: [],
    dataDir: 'public/data/cifar10',
  },
  // A long tail with ρ = 10 (100 → 10 images per class); the tail's accuracy is the metric that matters.
  imbalance: {
    summary: 'CE vs CE + OPL (λ 1, γ 0.5) on a long-tailed CIFAR-10 (ρ = 10), per-class accuracy',
    args: [...CIFAR10_ARGS, '--imbalance', '10'],
    quickArgs: [...QUICK_ARGS, '--imbalance', '4'],
    jobs: [{ label: 'γ 0.5', args: ['--gamma', '0.5'] }],
    plot: 'perClass',
    extra: [{ name: 'tail accuracy (last 3 classes)', read: (f) => meanOf(f.perClassAccuracy.slice(-3)) }],
    dataDir: 'public/data/cifar10',
  },
  // Transfer to unseen classes: the paper's few-shot claim (RFS → RFS + OPL), at browser scale.
  fewshot: {
    summary: 'CE vs CE + OPL (λ 1, γ 0.5) trained on 20 CIFAR-100 base classes, 5-way 5-shot on 20 novel classes',
    args: FEWSHOT_ARGS,
    quickArgs: ['--classes', '6', '--base-classes', '3', '--train-per-class', '16', '--test-per-class', '10', '--width', '4', '--batch', '8',
      '--epochs', '2', '--fewshot', '3,1', '--queries', '5', '--episodes', '20'],
    jobs: [{ label: 'γ 0.5', args: ['--gamma', '0.5'] }],
    plot: 'metrics',
    extra: [
      { name: 'few-shot accuracy (novel classes)', read: readFewShot },
      { name: 'few-shot 95% interval (± over episodes)', read: (f) => (f.fewShot as { ci95?: number } | undefined)?.ci95 ?? NaN },
    ],
    dataDir: 'public/data/cifar100',
  },
  // FGSM and PGD (the train command's default steps) at ε = 8/255 on 500 test images after training (one training per attack and seed).
  adversarial: {
    summary: 'CE vs CE + OPL (λ 1, γ 0.5) on CIFAR-10 under FGSM and PGD at ε = 8/255',
    args: [...CIFAR10_ARGS, '--epsilon', '8/255', '--attack-count', '500'],
    quickArgs: [...QUICK_ARGS, '--attack-count', '20'],
    jobs: [
      { label: 'FGSM', args: ['--gamma', '0.5', '--attack', 'fgsm'] },
      { label: 'PGD', args: ['--gamma', '0.5', '--attack', 'pgd'] },
    ],
    plot: 'metrics',
    extra: [{ name: 'accuracy under attack', read: readAttack }],
    dataDir: 'public/data/cifar10',
  },
};

function meanOf(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The names accepted on the command line. */
export function listPresetNames(): string[] {
  return Object.keys(PRESETS);
}

/**
 * Apply `overrides` to an argument list of `--name value` pairs (a name followed by another --name is a flag):
 * a repeated option keeps its first position with the override's value, a new one is appended.
 */
export function mergeTrainArgs(base: string[], overrides: string[]): string[] {
  const pairs = new Map<string, string | null>();
  for (const list of [base, overrides]) {
    for (let i = 0; i < list.length; i++) {
      const value = i + 1 < list.length && !list[i + 1].startsWith('--') ? list[i + 1] : null;
      pairs.set(list[i], value);
      if (value !== null) i++;
    }
  }
  return [...pairs].flatMap(([name, value]) => (value === null ? [name] : [name, value]));
}
