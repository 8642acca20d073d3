// Helpers shared by the browser specs: open the harness page and talk to the workers through it.
import { expect, type Page, type TestInfo } from '@playwright/test';
import type { LabSettings, ToTrainer } from '../../src/worker/protocol';
import type { Recorded } from './harness';

export type { Recorded };

/** Open the harness page (built by `vite build --mode e2e`) and check the page can use wasm threads. */
export async function openHarness(page: Page): Promise<void> {
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') console.log(`[browser ${msg.type()}] ${msg.text()} ${msg.location().url}`);
  });
  const response = await page.goto('/tests/e2e/harness.html');
  expect(response?.status(), 'the harness page is missing: build with `vite build --mode e2e` (npm run test:e2e does)').toBe(200);
  await page.waitForFunction(() => window.harness !== undefined, undefined, { timeout: 30_000 });
  expect(await page.evaluate(() => self.crossOriginIsolated), 'COOP/COEP headers missing: wasm threads need them').toBe(true);
}

export async function send(page: Page, message: ToTrainer): Promise<void> {
  await page.evaluate((m) => window.harness.send(m), message);
}

/** Every recorded training-worker message so far, or those of one type. */
export async function messages(page: Page, type?: string): Promise<Recorded[]> {
  const all = await page.evaluate(() => window.harness.messages);
  return type ? all.filter((m) => m.type === type) : all;
}

/**
 * Wait for the `nth` (1-based) message of a type, optionally one with a given phase, among the messages
 * from index `after` on. Throws at once with the worker's message if an `error` arrives first.
 */
export async function waitForMessage(
  page: Page,
  type: string,
  options: { phase?: string; nth?: number; after?: number; timeout?: number } = {},
): Promise<Recorded> {
  const { phase, nth = 1, after = 0, timeout = 10 * 60_000 } = options;
  const handle = await page.waitForFunction(
    ({ type, phase, nth, after }) => {
      const fresh = window.harness.messages.slice(after);
      const failure = fresh.find((m) => m.type === 'error' || m.type === 'workerError');
      if (failure) return failure;
      const hits = fresh.filter((m) => m.type === type && (phase === undefined || m.phase === phase));
      return hits.length >= nth ? hits[nth - 1] : null;
    },
    { type, phase, nth, after },
    { timeout, polling: 250 },
  );
  const found = (await handle.jsonValue()) as Recorded;
  if (found.type !== type) throw new Error(`worker reported ${found.type}: ${String(found.message)}`);
  return found;
}

/** Record a measurement on the test and print it (the list reporter does not show annotations). */
export function note(testInfo: TestInfo, type: string, description: string): void {
  testInfo.annotations.push({ type, description });
  console.log(`${type}: ${description}`);
}

/** 2 classes x 16 images, width 4, batch 8: 4 steps per epoch, seconds per step even on SwiftShader. */
export const TINY: LabSettings = {
  dataset: 'cifar10',
  classes: 2,
  trainPerClass: 16,
  testPerClass: 16,
  labelNoise: 0,
  noiseKind: 'symmetric',
  imbalance: 1,
  model: 'resnet8',
  width: 4,
  batchSize: 8,
  lr: 0.05,
  epochs: 1,
  seed: 1,
  mode: 'compare',
  gamma: 0.5,
  lambda: 1,
  absNegative: false,
  backend: 'webgpu',
  logEvery: 1,
  embedCount: 32,
  attackMethod: 'fgsm',
  attackEpsilon: 8,
  attackCount: 16,
  fewShotWays: 2,
  fewShotShots: 1,
  fewShotEpisodes: 20,
  fewShotClassifier: 'centroid',
};
