// The trainer on tiny configurations: paired runs really share init and batches, runs are reproducible from the
// seed, no tensor leaks over 50 steps, one readback per logged step, and evaluate/embed return coherent shapes.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrainer, DEFAULT_TRAIN_CONFIG, pairedRuns, type TrainConfig } from '../src/core';
import { setupBackend } from '../src/cli/setupBackend';
import { countReads } from './helpers/readbacks';
import { makeSyntheticSplit } from './helpers/synthetic';

const TINY: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, width: 4, batchSize: 8, epochs: 2, lr: 0.05, seed: 3, runs: pairedRuns({ gamma: 2 }) };

async function weightsOf(trainer: ReturnType<typeof createTrainer>, run: number): Promise<Float32Array[]> {
  return Promise.all(trainer.models[run].params.map(async (p) => (await p.data()) as Float32Array));
}

beforeAll(async () => {
  await setupBackend('wasm');
});

describe('trainer', () => {
  it('paired runs start from identical weights, and identical losses stay identical', async () => {
    const data = makeSyntheticSplit(32, 16, 4);
    const ce = pairedRuns()[0];
    const trainer = createTrainer({ ...TINY, runs: [ce, { ...ce, name: 'CE again' }] }, data);
    const a0 = await weightsOf(trainer, 0);
    const b0 = await weightsOf(trainer, 1);
    expect(a0).toEqual(b0);
    for (let i = 0; i < 3; i++) await trainer.step();
    const a = await weightsOf(trainer, 0);
    expect(a).toEqual(await weightsOf(trainer, 1));
    // the weights did move, so the equality above says something
    expect(a.some((w, i) => w.some((v, k) => v !== a0[i][k]))).toBe(true);
    trainer.dispose();
  });

  it('CE and CE + OPL start equal and then differ only through the loss', async () => {
    const data = makeSyntheticSplit(32, 16, 4);
    const trainer = createTrainer(TINY, data);
    expect(await weightsOf(trainer, 0)).toEqual(await weightsOf(trainer, 1));
    const first = await trainer.step();
    // same batch → same CE, s and d at the first step (same weights); only the total differs
    const [ceRun, oplRun] = first.metrics!;
    expect(oplRun.ce).toBeCloseTo(ceRun.ce, 5);
    expect(oplRun.s).toBeCloseTo(ceRun.s, 5);
    expect(oplRun.d).toBeCloseTo(ceRun.d, 5);
    expect(oplRun.total).toBeCloseTo(ceRun.ce + 1 * (1 - ceRun.s + 2 * ceRun.d), 4);
    expect(ceRun.total).toBeCloseTo(ceRun.ce, 6);
    await trainer.step();
    const a = await weightsOf(trainer, 0);
    const b = await weightsOf(trainer, 1);
    expect(a.some((w, i) => w.some((v, k) => v !== b[i][k]))).toBe(true);
    trainer.dispose();
  });

  it('is reproducible from the seed and sensitive to it', async () => {
    const data = makeSyntheticSplit(32, 16, 4);
    const run = async (seed: number) => {
      const t = createTrainer({ ...TINY, seed }, data);
      const logs = [];
      for (let i = 0; i < 4; i++) logs.push((await t.step()).metrics);
      t.dispose();
      return logs;
    };
    const first = await run(9);
    expect(await run(9)).toEqual(first);
    expect(await run(10)).not.toEqual(first);
  });

  it('leaks no tensors across 50 steps, evaluation and embedding', async () => {
    const data = makeSyntheticSplit(40, 20, 4);
    const before = tf.memory().numTensors;
    const trainer = createTrainer({ ...TINY, epochs: 20, logEvery: 3 }, data);
    await trainer.step();
    const afterFirst = tf.memory().numTensors;
    for (let i = 1; i < 50; i++) await trainer.step();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(afterFirst + 1); // + at most the pending metric sum
    await trainer.evaluate();
    await trainer.embed(20);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps tensors, bytes and backend buffers flat over 500 steps', async () => {
    const data = makeSyntheticSplit(32, 16, 4); // 4 steps per epoch
    const trainer = createTrainer({ ...TINY, epochs: 125, logEvery: 1 }, data);
    const dataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    for (let i = 0; i < 20; i++) await trainer.step(); // past the first-use allocations
    const start = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, ids: dataIds() };
    let report;
    do report = await trainer.step();
    while (!report.done);
    expect(report.step).toBe(500);
    expect(tf.memory().numTensors).toBe(start.tensors);
    expect(tf.memory().numBytes).toBe(start.bytes);
    expect(dataIds()).toBe(start.ids);
    trainer.dispose();
  });

  it('reads metrics back once every logEvery steps, averaged', async () => {
    const data = makeSyntheticSplit(48, 16, 4); // 6 steps per epoch
    const trainer = createTrainer({ ...TINY, logEvery: 4, epochs: 1 }, data);
    const logged: boolean[] = [];
    await countReads(async (reads) => {
      for (let i = 0; i < 6; i++) {
        const before = reads();
        const r = await trainer.step();
        logged.push(r.metrics !== null);
        expect(reads() - before).toBe(r.metrics ? 1 : 0);
      }
    });
    // step 4 (logEvery) and step 6 (end of epoch) report
    expect(logged).toEqual([false, false, false, true, false, true]);
    trainer.dispose();
  });

  it('learns the synthetic classes, and evaluate/embed report coherent shapes', async () => {
    const data = makeSyntheticSplit(64, 40, 4);
    const trainer = createTrainer({ ...TINY, epochs: 4 }, data);
    for (;;) if ((await trainer.step()).done) break;
    const [ce, opl] = await trainer.evaluate();
    for (const e of [ce, opl]) {
      expect(e.confusion.flat().reduce((a, b) => a + b, 0)).toBe(40);
      expect(e.classMeanCos.length).toBe(4);
      expect(e.classMeanCos[2][2]).toBeCloseTo(1, 5);
      expect(e.meanSameClassCos).toBeGreaterThan(-1);
    }
    expect(ce.accuracy).toBeGreaterThan(0.5); // chance is 0.25
    const emb = await trainer.embed(30);
    expect(emb.features.length).toBe(2);
    expect(emb.features[0].length).toBe(30 * emb.dim);
    expect(emb.dim).toBe(16);
    expect(Array.from(emb.labels)).toEqual(Array.from(emb.indices).map((i) => data.test.labels[i]));

    // The epoch end's single pass gives what the two calls give.
    const both = await trainer.evaluateAndEmbed(30);
    expect(both.reports).toEqual([ce, opl]);
    expect(Array.from(both.embedding.indices)).toEqual(Array.from(emb.indices));
    expect(Array.from(both.embedding.labels)).toEqual(Array.from(emb.labels));
    expect(both.embedding.dim).toBe(emb.dim);
    both.embedding.features.forEach((f, r) => {
      expect(f.length).toBe(emb.features[r].length);
      f.forEach((v, i) => expect(v).toBeCloseTo(emb.features[r][i], 5));
    });
    trainer.dispose();
  });
});
