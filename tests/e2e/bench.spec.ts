// Training speed of the worker in headless Chromium, per backend: steps per second of the paired CE and
// CE + OPL runs (one step trains both). Opt-in, it takes minutes on SwiftShader: OPL_BENCH=1 npm run test:e2e.
import { test } from '@playwright/test';
import type { LabSettings } from '../../src/worker/protocol';
import { messages, note, openHarness, send, TINY, waitForMessage } from './support';

const BASE: Omit<LabSettings, 'backend'> = { ...TINY, embedCount: 0 };

const CASES: Array<{ name: string; settings: Partial<LabSettings> }> = [
  // 3 epochs of 4 steps.
  { name: 'tiny (ResNet-8, width 4, batch 8)', settings: { epochs: 3 } },
  // 2 classes x 64 images: 2 epochs of 8 steps of 16.
  { name: 'ResNet-8, width 8, batch 16', settings: { width: 8, batchSize: 16, trainPerClass: 64, epochs: 2 } },
];

test.skip(!process.env.OPL_BENCH, 'set OPL_BENCH=1 to measure training speed');

for (const backend of ['webgpu', 'wasm'] as const) {
  for (const { name, settings } of CASES) {
    test(`${backend}: ${name}`, async ({ page }, testInfo) => {
      await openHarness(page);
      await send(page, { type: 'init', settings: { ...BASE, ...settings, backend } });
      await waitForMessage(page, 'phase', { phase: 'ready' });
      await send(page, { type: 'start' });
      await waitForMessage(page, 'phase', { phase: 'done' });
      const progress = await messages(page, 'progress');
      // Every step after the first (which compiles shaders and warms caches); each reading covers one step,
      // and the epoch-end evaluations are left out of it.
      const seconds = progress.slice(1).map((p) => 1 / (p.stepsPerSecond as number));
      const rate = seconds.length / seconds.reduce((a, b) => a + b, 0);
      const first = 1 / (progress[0].stepsPerSecond as number);
      note(testInfo, 'steps/s', `${backend} ${name}: ${rate.toFixed(3)} steps/s (first step ${first.toFixed(2)} s; ${seconds.length} steps timed)`);
    });
  }
}
