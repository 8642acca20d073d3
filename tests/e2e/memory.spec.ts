// Memory over 500 training steps on the GPU backends (WebGPU and WebGL, on SwiftShader here): the worker's
// progress messages carry tf.memory() after each reported step, and tensors, tensor bytes and GPU bytes must stay flat
// once the first epoch (and its evaluation, which uploads the test set) is behind. Reports the time it took.
import { expect, test } from '@playwright/test';
import type { LabSettings, MemorySnapshot } from '../../src/worker/protocol';
import { messages, note, openHarness, send, TINY, waitForMessage } from './support';

/** The smallest run that still trains: one CE run, width 2, batch 4, 50 steps per epoch, 10 epochs, metrics every 10 steps. */
const STEADY: LabSettings = { ...TINY, classes: 2, trainPerClass: 100, testPerClass: 2, width: 2, batchSize: 4, epochs: 10, embedCount: 0, logEvery: 10, mode: 'ce' };
const STEPS_PER_EPOCH = 50;
const STEPS = STEPS_PER_EPOCH * STEADY.epochs;

for (const backend of ['webgpu', 'webgl'] as const) {
  test(`${backend}: tensors and GPU bytes stay flat over ${STEPS} steps`, async ({ page }, testInfo) => {
    await openHarness(page);
    await send(page, { type: 'init', settings: { ...STEADY, backend } });
    const data = await waitForMessage(page, 'data');
    expect(data).toMatchObject({ stepsPerEpoch: STEPS_PER_EPOCH, totalSteps: STEPS });
    const chosen = await waitForMessage(page, 'backend');
    expect(chosen.backend).toBe(backend);
    await waitForMessage(page, 'phase', { phase: 'ready' });
    const started = Date.now();
    await send(page, { type: 'start' });
    await waitForMessage(page, 'phase', { phase: 'done', timeout: 14 * 60_000 });
    const seconds = (Date.now() - started) / 1000;

    const progress = await messages(page, 'progress');
    // One report (and one readback) per logEvery steps; epochs end on a multiple of it.
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: STEPS / STEADY.logEvery }, (_, i) => (i + 1) * STEADY.logEvery));
    const memory = progress.map((p) => ({ step: p.step as number, ...(p.memory as unknown as MemorySnapshot) }));
    // The GPU backends report their device bytes; WASM and cpu would not.
    expect(memory.every((m) => typeof m.gpuBytes === 'number' && typeof m.gpuBytesAllocated === 'number')).toBe(true);
    // From the second epoch on: the test set is uploaded, every pool has seen every shape.
    const steady = memory.filter((m) => m.step > STEPS_PER_EPOCH + 1);
    const first = steady[0];
    const last = steady[steady.length - 1];
    for (const m of steady) {
      expect(m.numTensors, `tensors at step ${m.step}`).toBe(first.numTensors);
      expect(m.numBytes, `tensor bytes at step ${m.step}`).toBe(first.numBytes);
      expect(m.gpuBytes, `GPU bytes in use at step ${m.step}`).toBe(first.gpuBytes);
    }
    const peakAllocated = Math.max(...steady.map((m) => m.gpuBytesAllocated!));
    expect(last.gpuBytesAllocated, 'GPU bytes allocated at the end').toBeLessThanOrEqual(first.gpuBytesAllocated!);
    note(
      testInfo,
      `${backend} memory`,
      `${STEPS} steps in ${seconds.toFixed(0)} s; from step ${first.step} to ${last.step}: ${first.numTensors} tensors, ` +
        `${first.numBytes} tensor bytes, ${first.gpuBytes} GPU bytes in use, allocated ${first.gpuBytesAllocated} → ${last.gpuBytesAllocated} (peak ${peakAllocated}); ` +
        `first report (step ${memory[0].step}): ${memory[0].numTensors} tensors, ${memory[0].gpuBytes} GPU bytes`,
    );
  });
}
