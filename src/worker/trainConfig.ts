// Maps the page's LabSettings onto the core's TrainConfig (reference recipe for everything the page does not
// set), and defines the tiny configuration used to time backends against each other.
import { DEFAULT_TRAIN_CONFIG, pairedRuns, type RunSpec, type TrainConfig } from '../core/config';
import type { BatchSourceKind } from '../core/data/batchSource';
import type { BackendName, LabSettings } from './protocol';

/** The runs a mode trains: CE and CE + OPL side by side, or one of them alone. */
export function buildRuns(settings: LabSettings): RunSpec[] {
  const [ce, opl] = pairedRuns({ gamma: settings.gamma, lambda: settings.lambda, absNegative: settings.absNegative });
  if (settings.mode === 'ce') return [ce];
  if (settings.mode === 'opl') return [opl];
  return [ce, opl];
}

/** Throw a readable Error unless the numeric settings make sense (the page's settings table clamps first). */
export function checkSettings(settings: LabSettings): void {
  const wholes: Array<keyof LabSettings> = ['classes', 'trainPerClass', 'testPerClass', 'width', 'batchSize', 'epochs', 'logEvery'];
  for (const key of wholes) {
    const value = settings[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`setting ${key} must be a whole number ≥ 1, got ${String(value)}`);
  }
  if (!(settings.lr > 0 && Number.isFinite(settings.lr))) throw new Error(`setting lr must be a positive number, got ${settings.lr}`);
  for (const key of ['gamma', 'lambda'] as const) {
    if (!Number.isFinite(settings[key]) || settings[key] < 0) throw new Error(`setting ${key} must be a number ≥ 0, got ${settings[key]}`);
  }
  if (!(settings.imbalance >= 1 && Number.isFinite(settings.imbalance))) throw new Error(`setting imbalance must be a number ≥ 1, got ${settings.imbalance}`);
  if (!(settings.labelNoise >= 0 && settings.labelNoise <= 1)) throw new Error(`setting labelNoise must be in 0..1, got ${settings.labelNoise}`);
  if (settings.noiseKind !== 'symmetric' && settings.noiseKind !== 'pairflip') throw new Error(`setting noiseKind must be symmetric or pairflip, got ${String(settings.noiseKind)}`);
  if (!Number.isInteger(settings.embedCount) || settings.embedCount < 0) throw new Error(`setting embedCount must be a whole number ≥ 0, got ${settings.embedCount}`);
}

/**
 * Where a backend's batches are built. On WebGPU and WebGL on the device: the training set is uploaded once
 * and a step sends only 4 ints per image. On WASM on the host: the device gather there measured ~2.5x slower
 * than assembleBatch (Node, batch 32 and 128: 29 vs 11 ms, 80 vs 32 ms median), and both live in CPU memory.
 */
export function chooseBatchSource(backend: BackendName): BatchSourceKind {
  return backend === 'wasm' ? 'host' : 'device';
}

/** The TrainConfig of a session on `backend`: the page's choices over the reference recipe. */
export function toTrainConfig(settings: LabSettings, backend: BackendName): TrainConfig {
  return {
    batches: chooseBatchSource(backend),
    ...DEFAULT_TRAIN_CONFIG,
    model: settings.model,
    width: settings.width,
    batchSize: settings.batchSize,
    epochs: settings.epochs,
    lr: settings.lr,
    seed: settings.seed,
    logEvery: settings.logEvery,
    runs: buildRuns(settings),
  };
}

/** Steps timed per backend when 'auto' lands on a software renderer, after one untimed warm-up step. */
export const PROBE_STEPS = 2;

/**
 * The tiny model every backend is timed with: ResNet-8, width ≤ 8, batch ≤ 16, the session's runs.
 * Small enough that a software renderer gets through it in seconds; the same for every backend.
 */
export function toProbeConfig(settings: LabSettings, backend: BackendName): TrainConfig {
  return {
    ...toTrainConfig(settings, backend),
    model: 'resnet8',
    width: Math.min(settings.width, 8),
    batchSize: Math.min(settings.batchSize, 16),
    epochs: 1,
    logEvery: 1,
  };
}
