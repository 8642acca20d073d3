// The settings record the CLI stores in a run file (the page's LabSettings field names, so the page and the CLI
// read each other's files), and the plan for resuming one: its config and data choice, with only --epochs free.
import type { TrainConfig } from '../core/config';
import { NOISE_KINDS, type NoiseKind } from '../core/data/labelNoise';
import type { DatasetSplit } from '../core/data/types';
import { describeDataMismatch, type SavedRun } from '../core/io/runFile';
import { UsageError, type OptionValues } from './options';

/** Which data a run trains on: the data set and the subset (all classes / images when a count is absent). */
export interface DataChoice {
  dataset: 'cifar10' | 'cifar100';
  classes?: number;
  trainPerClass?: number;
  testPerClass?: number;
  seed: number;
  /** Fraction of training labels flipped (0: clean), and how. */
  labelNoise: number;
  noiseKind: NoiseKind;
  /** Long-tail ratio of the training set (1: balanced). */
  imbalance: number;
}

/** Test features embedded for the run file (as the page's default embedCount). */
export const EMBED_COUNT = 1000;

/** The settings record of a CLI run, keyed like the page's LabSettings. */
export function describeSettings(config: TrainConfig, data: DatasetSplit, choice: DataChoice, backend: string): Record<string, unknown> {
  const classes = data.train.classNames.length;
  const opl = config.runs.find((r) => r.loss.kind === 'opl') ?? config.runs[0];
  return {
    dataset: choice.dataset,
    classes,
    trainPerClass: choice.trainPerClass ?? Math.floor(data.train.count / classes),
    testPerClass: choice.testPerClass ?? Math.floor(data.test.count / classes),
    model: config.model,
    width: config.width,
    batchSize: config.batchSize,
    lr: config.lr,
    epochs: config.epochs,
    seed: config.seed,
    mode: config.runs.length > 1 ? 'compare' : config.runs[0].loss.kind,
    gamma: opl.loss.gamma,
    lambda: opl.loss.lambda,
    absNegative: opl.loss.absNegative,
    labelNoise: choice.labelNoise,
    noiseKind: choice.noiseKind,
    imbalance: choice.imbalance,
    backend,
    logEvery: config.logEvery,
    embedCount: EMBED_COUNT,
  };
}

function readWhole(settings: Record<string, unknown>, key: string, path: string): number {
  const value = settings[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new UsageError(`${path}: its settings have no valid ${key}; cannot resume it`);
  return value;
}

/**
 * How to resume a saved run: its config with --epochs applied when given, and its data choice. Training options
 * given on the command line must agree with the file (a different lr or batch would not be the same run).
 * @throws UsageError with one line when the file cannot be resumed or an option contradicts it.
 */
export function planResume(saved: SavedRun, path: string, options: OptionValues, given: Set<string>): { config: TrainConfig; choice: DataChoice } {
  if (!saved.state) throw new UsageError(`${path} holds metrics only (no trainer state); it cannot be resumed`);
  const s = saved.settings;
  if (s.dataset !== 'cifar10' && s.dataset !== 'cifar100') throw new UsageError(`${path}: its settings name no known data set; cannot resume it`);
  const choice: DataChoice = {
    dataset: s.dataset,
    classes: readWhole(s, 'classes', path),
    trainPerClass: readWhole(s, 'trainPerClass', path),
    testPerClass: readWhole(s, 'testPerClass', path),
    seed: saved.config.seed,
    // Files from before label noise and the long tail existed trained on clean, balanced data.
    labelNoise: typeof s.labelNoise === 'number' ? s.labelNoise : 0,
    noiseKind: NOISE_KINDS.includes(s.noiseKind as NoiseKind) ? (s.noiseKind as NoiseKind) : 'symmetric',
    imbalance: typeof s.imbalance === 'number' ? s.imbalance : 1,
  };
  const fixed: [string, unknown][] = [
    ['dataset', choice.dataset], ['classes', choice.classes], ['train-per-class', choice.trainPerClass], ['test-per-class', choice.testPerClass],
    ['model', saved.config.model], ['width', saved.config.width], ['batch', saved.config.batchSize], ['lr', saved.config.lr],
    ['seed', saved.config.seed], ['no-augment', !saved.config.augment],
    ['label-noise', choice.labelNoise], ['noise-kind', choice.noiseKind], ['imbalance', choice.imbalance],
  ];
  for (const [name, fileValue] of fixed) {
    if (given.has(name) && options[name] !== fileValue) {
      throw new UsageError(`--${name} ${String(options[name])} differs from the run file's ${String(fileValue)}; leave it out to resume (only --epochs may change)`);
    }
  }
  for (const name of ['loss', 'gamma', 'lambda', 'abs-negative']) {
    if (given.has(name)) throw new UsageError(`--${name} cannot be given with --resume: the runs and their losses come from the run file`);
  }
  const epochs = given.has('epochs') ? (options.epochs as number) : saved.config.epochs;
  // The runs as they are now: a page may have changed a loss mid-run (the trainer takes them from the state too).
  return { config: { ...saved.config, epochs, runs: saved.state.runs.map((r) => ({ name: r.name, loss: { ...r.loss } })) }, choice };
}

/** Refuse data that is not what the saved run trained on (other classes or other counts). */
export function checkDataFits(saved: SavedRun, path: string, data: DatasetSplit): void {
  const mismatch = describeDataMismatch(saved, data);
  if (mismatch) throw new UsageError(`${path} was ${mismatch}`);
}
