// One table of training settings with the reference recipe's defaults; hosts override only what differs.
import type { BatchSourceKind } from './data/batchSource';
import type { LossSpec } from './losses/objective';
import type { ModelName } from './models/resnet';
import { REFERENCE_DECAY_AT } from './schedule';

/** One run of a (possibly paired) experiment: a name and the loss it trains with. */
export interface RunSpec {
  name: string;
  loss: LossSpec;
}

export interface TrainConfig {
  model: ModelName; // resnet8 | resnet14 | resnet20 (n = 1/2/3 blocks per stage)
  width: number; // channels of stage 1; 16 = the reference's 16/32/64
  batchSize: number; // images per step (reference: 128)
  epochs: number; // passes over the training subset
  lr: number; // peak learning rate (reference: 0.1)
  momentum: number; // SGD momentum (reference: 0.9)
  weightDecay: number; // L2 added to every gradient (reference: 5e-4)
  warmupEpochs: number; // linear warm-up length (reference: 1), capped at half the run
  decayAt: number[]; // fractions of the run where lr ×= decayFactor (reference: 60/120/160 of 200)
  decayFactor: number; // reference: 0.2
  augment: boolean; // random crop (pad 4) + horizontal flip
  seed: number; // one seed for init, batch order and augmentation
  logEvery: number; // read metrics back every k steps (averaged over those k)
  runs: RunSpec[]; // one run, or a CE and a CE + OPL run trained side by side on identical batches
  batches?: BatchSourceKind; // where batches are built: 'host' (default) or 'device' (GPU backends); same batches
}

/** The README's loss weights: γ = 0.5, λ = 1, signed d. */
export const DEFAULT_OPL: LossSpec = { kind: 'opl', gamma: 0.5, lambda: 1, absNegative: false };

/** The two runs of the paired comparison: same init, same batches, only the loss differs. */
export function pairedRuns(opl: Partial<LossSpec> = {}): RunSpec[] {
  const spec = { ...DEFAULT_OPL, ...opl, kind: 'opl' as const };
  return [
    { name: 'CE', loss: { ...spec, kind: 'ce' } },
    { name: 'CE + OPL', loss: spec },
  ];
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  model: 'resnet8',
  width: 16,
  batchSize: 128,
  epochs: 10,
  lr: 0.1,
  momentum: 0.9,
  weightDecay: 5e-4,
  warmupEpochs: 1,
  decayAt: REFERENCE_DECAY_AT,
  decayFactor: 0.2,
  augment: true,
  seed: 1,
  logEvery: 1,
  runs: pairedRuns(),
};
