// Learning-rate schedule: the reference recipe (one epoch of linear warm-up, then ×0.2 at epochs 60/120/160
// of 200) with its milestones scaled to the run's length, so a 4-epoch run decays at 30%/60%/80% too.

export interface LrSchedule {
  /** Peak learning rate, reached at the end of warm-up. */
  lr: number;
  /** Epochs of linear warm-up from lr/steps to lr. */
  warmupEpochs: number;
  /** Fractions of the total epochs where the rate is multiplied by decayFactor. */
  decayAt: number[];
  decayFactor: number;
}

/** The reference's milestones 60/120/160 of 200 epochs, as fractions. */
export const REFERENCE_DECAY_AT = [0.3, 0.6, 0.8];

/**
 * Learning rate for a step (0-based) of a run with the given length.
 * Warm-up never takes more than half the run, so short runs still train at the full rate.
 */
export function computeLearningRate(schedule: LrSchedule, step: number, stepsPerEpoch: number, epochs: number): number {
  const totalSteps = stepsPerEpoch * epochs;
  const warmupSteps = Math.min(Math.round(schedule.warmupEpochs * stepsPerEpoch), Math.floor(totalSteps / 2));
  if (step < warmupSteps) return (schedule.lr * (step + 1)) / warmupSteps;
  const progress = step / totalSteps;
  let lr = schedule.lr;
  for (const at of schedule.decayAt) if (progress >= at) lr *= schedule.decayFactor;
  return lr;
}
