// The learning-rate schedule and SGD: warm-up, scaled reference milestones, and PyTorch's momentum semantics.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeLearningRate, createSgd, REFERENCE_DECAY_AT } from '../src/core';

const SCHEDULE = { lr: 0.1, warmupEpochs: 1, decayAt: REFERENCE_DECAY_AT, decayFactor: 0.2 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('computeLearningRate', () => {
  it('warms up linearly over the first epoch, then decays at 30/60/80% of the run', () => {
    const spe = 10, epochs = 10;
    expect(computeLearningRate(SCHEDULE, 0, spe, epochs)).toBeCloseTo(0.01, 10);
    expect(computeLearningRate(SCHEDULE, 9, spe, epochs)).toBeCloseTo(0.1, 10);
    expect(computeLearningRate(SCHEDULE, 29, spe, epochs)).toBeCloseTo(0.1, 10);
    expect(computeLearningRate(SCHEDULE, 30, spe, epochs)).toBeCloseTo(0.02, 10);
    expect(computeLearningRate(SCHEDULE, 60, spe, epochs)).toBeCloseTo(0.004, 10);
    expect(computeLearningRate(SCHEDULE, 99, spe, epochs)).toBeCloseTo(0.0008, 10);
  });

  it('the reference 200-epoch run decays at epochs 60, 120 and 160', () => {
    const spe = 391;
    const at = (epoch: number) => computeLearningRate(SCHEDULE, epoch * spe, spe, 200);
    expect(at(59)).toBeCloseTo(0.1, 10);
    expect(at(60)).toBeCloseTo(0.02, 10);
    expect(at(120)).toBeCloseTo(0.004, 10);
    expect(at(160)).toBeCloseTo(0.0008, 10);
  });

  it('caps warm-up at half of a very short run', () => {
    expect(computeLearningRate(SCHEDULE, 1, 4, 1)).toBeCloseTo(0.1, 10);
  });
});

describe('createSgd', () => {
  it('follows g = ∇ + wd·p, v = μ·v + g, p = p − lr·v', () => {
    const p = tf.variable(tf.tensor1d([1, -2]));
    const sgd = createSgd([p], 0.9, 0.01);
    let pv = [1, -2], vv = [0, 0];
    const grads = [[0.5, 0.25], [-1, 2], [0.1, 0.1]];
    grads.forEach((g, step) => {
      const gt = tf.tensor1d(g);
      sgd.apply([gt], 0.1);
      gt.dispose();
      const full = g.map((x, i) => x + 0.01 * pv[i]);
      vv = step === 0 ? full : vv.map((v, i) => 0.9 * v + full[i]);
      pv = pv.map((x, i) => x - 0.1 * vv[i]);
      const got = p.dataSync();
      expect(got[0]).toBeCloseTo(pv[0], 6);
      expect(got[1]).toBeCloseTo(pv[1], 6);
    });
    sgd.dispose();
    p.dispose();
  });
});
