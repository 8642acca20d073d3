// Drives the real training and UMAP workers in headless Chromium (WebGPU on SwiftShader) on the real
// CIFAR-10 subset: data loading, backend choice, paired CE / CE + OPL training, controls, and UMAP.
import { expect, test, type Page } from '@playwright/test';
import type { LabSettings } from '../../src/worker/protocol';
import { messages, note, openHarness, send, TINY, waitForMessage } from './support';

const CIFAR10_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

function expectFinite(value: unknown, what: string): void {
  expect(typeof value === 'number' && Number.isFinite(value), `${what} = ${String(value)}`).toBe(true);
}

/** Train TINY (for `epochs` epochs of 4 steps) to the end on one backend and check everything the page relies on. */
async function trainTiny(page: Page, backend: LabSettings['backend'], epochs = 1): Promise<{ stepsPerSecond: number[] }> {
  await send(page, { type: 'init', settings: { ...TINY, backend, epochs } });
  const data = await waitForMessage(page, 'data');
  expect(data.classNames).toEqual(['airplane', 'automobile']);
  expect(data.allClassNames).toEqual(CIFAR10_NAMES);
  expect(data.availablePerClass).toEqual({ train: 1000, test: 200 });
  expect(data).toMatchObject({ trainCount: 32, testCount: 32, stepsPerEpoch: 4, totalSteps: 4 * epochs, runNames: ['CE', 'CE + OPL'] });
  const chosen = await waitForMessage(page, 'backend');
  expect(chosen.backend).toBe(backend);
  await waitForMessage(page, 'phase', { phase: 'ready' });

  await send(page, { type: 'start' });
  await waitForMessage(page, 'phase', { phase: 'done' });
  const progress = await messages(page, 'progress');
  expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 4 * epochs }, (_, i) => i + 1));
  for (const p of progress) {
    const metrics = p.metrics as Array<Record<string, number>>;
    expect(metrics).toHaveLength(2);
    for (const [r, m] of metrics.entries()) {
      for (const key of ['total', 'ce', 'opl', 's', 'd', 'accuracy']) expectFinite(m[key], `step ${String(p.step)} run ${r} ${key}`);
    }
    // The CE run's objective is CE alone; the OPL run's is CE + λ·OPL.
    expect(metrics[0].total).toBeCloseTo(metrics[0].ce, 4);
    expect(metrics[1].total).toBeCloseTo(metrics[1].ce + TINY.lambda * metrics[1].opl, 3);
    expectFinite(p.stepsPerSecond, 'stepsPerSecond');
  }
  const evaluations = await messages(page, 'evaluation');
  expect(evaluations.map((e) => e.step)).toEqual(Array.from({ length: epochs }, (_, i) => 4 * (i + 1)));
  const [evaluation] = evaluations;
  expect(evaluation).toMatchObject({ step: 4, epoch: 0 });
  const reports = evaluation.reports as Array<Record<string, unknown>>;
  expect(reports.map((r) => r.name)).toEqual(['CE', 'CE + OPL']);
  for (const r of reports) expect(r.accuracy as number).toBeGreaterThanOrEqual(0);
  expect((evaluation.trainAccuracy as number[]).every((a) => a >= 0 && a <= 1)).toBe(true);
  const embeddings = await messages(page, 'embedding');
  expect(embeddings).toHaveLength(epochs);
  const [embedding] = embeddings;
  expect(embedding.dim).toBe(4 * TINY.width);
  const features = embedding.features as Array<{ length: number; finite: boolean }>;
  expect(features.map((f) => f.length)).toEqual([32 * 16, 32 * 16]);
  expect(features.every((f) => f.finite)).toBe(true);
  // The worker sends the embedded images (32 x 32 x 3 bytes each, row i for point i) once per session.
  expect(embedding.images).toMatchObject({ length: 32 * 32 * 32 * 3, finite: true });
  expect((embedding.images as { head: number[] }).head.some((v) => v > 0)).toBe(true);
  for (const later of embeddings.slice(1)) expect(later.images).toBeUndefined();
  return { stepsPerSecond: progress.map((p) => p.stepsPerSecond as number) };
}

test('loads the real CIFAR-10 subset and trains both runs on WebGPU (SwiftShader)', async ({ page }, testInfo) => {
  await openHarness(page);
  const { stepsPerSecond } = await trainTiny(page, 'webgpu');
  const [backend] = await messages(page, 'backend');
  expect((backend.adapterInfo as Record<string, unknown>).architecture).toBe('swiftshader');
  expect(backend.software).toBe(true);
  note(testInfo, 'webgpu steps/s', stepsPerSecond.map((s) => s.toFixed(3)).join(', '));
  await page.screenshot({ path: testInfo.outputPath('webgpu-tiny.png'), fullPage: true });
});

test('trains the same tiny run on WASM (two epochs), and UMAP lays out its features', async ({ page }, testInfo) => {
  await openHarness(page);
  const { stepsPerSecond } = await trainTiny(page, 'wasm', 2);
  note(testInfo, 'wasm steps/s', stepsPerSecond.map((s) => s.toFixed(3)).join(', '));
  // Our kernels are on by default, in whichever build the machine gets (threaded from 4 logical cores up).
  const [backend] = await messages(page, 'backend');
  expect((backend.adapterInfo as { description: string }).description).toMatch(/^SIMD, (threaded build, )?\d+ threads?, our kernels$/);
  expect(backend.adapter).toContain('our kernels');

  const layouts = await page.evaluate(() => window.harness.fitLatestEmbedding(7, 50, 3));
  expect(layouts.every((l) => l.type === 'layout' && l.id === 7)).toBe(true);
  expect(layouts.map((l) => l.epoch)).toEqual([10, 20, 30, 40, 50]);
  const last = layouts[layouts.length - 1].coords as { length: number; finite: boolean };
  expect(last).toMatchObject({ length: 32 * 2, finite: true });
  // The same seed gives the same layout.
  const again = await page.evaluate(() => window.harness.fitLatestEmbedding(8, 50, 3));
  expect((again[again.length - 1].coords as { head: number[] }).head).toEqual((last as unknown as { head: number[] }).head);
  // A second fit supersedes the first: nothing more arrives for the old id once the new one starts.
  const both = await page.evaluate(() => window.harness.fitTwice(30));
  expect(both.filter((m) => m.id === 102).map((m) => m.epoch)).toEqual([10, 20, 30]);
  expect(both.filter((m) => m.id === 101)).toHaveLength(0);
  await page.screenshot({ path: testInfo.outputPath('wasm-tiny.png'), fullPage: true });
});

test("our kernels also load into tfjs's threaded wasm build (shared memory) and train there", async ({ page }) => {
  await openHarness(page);
  await send(page, { type: 'init', settings: { ...TINY, backend: 'wasm', embedCount: 0 }, wasm: { threads: true } });
  const backend = await waitForMessage(page, 'backend');
  expect((backend.adapterInfo as { description: string }).description).toMatch(/^SIMD, threaded build, \d+ threads?, our kernels$/);
  await waitForMessage(page, 'phase', { phase: 'ready' });
  await send(page, { type: 'step' });
  const progress = await waitForMessage(page, 'progress');
  for (const m of progress.metrics as Array<Record<string, number>>) expectFinite(m.total, 'loss after one step');
});

test('pause, step, setLoss and reset act between steps', async ({ page }, testInfo) => {
  await openHarness(page);
  await send(page, { type: 'init', settings: { ...TINY, backend: 'wasm', epochs: 20, embedCount: 0 } });
  await waitForMessage(page, 'phase', { phase: 'ready' });
  await send(page, { type: 'start' });
  await waitForMessage(page, 'progress', { nth: 2 });
  await send(page, { type: 'setLoss', loss: { gamma: 2, lambda: 0.5, absNegative: true } });
  const changed = await waitForMessage(page, 'lossChanged', { timeout: 30_000 });
  expect(changed.loss).toEqual({ gamma: 2, lambda: 0.5, absNegative: true });
  await send(page, { type: 'pause' });
  await waitForMessage(page, 'phase', { phase: 'paused', timeout: 60_000 });
  const before = (await messages(page, 'progress')).length;
  await send(page, { type: 'step' });
  const next = await waitForMessage(page, 'progress', { nth: before + 1, timeout: 60_000 });
  const progress = await messages(page, 'progress');
  expect(next.step).toBe((progress[before - 1].step as number) + 1);
  // After setLoss the OPL run trains on CE + 0.5·OPL with γ = 2.
  const metrics = next.metrics as Array<Record<string, number>>;
  expect(metrics[1].total).toBeCloseTo(metrics[1].ce + 0.5 * metrics[1].opl, 3);
  expect(metrics[1].opl).toBeCloseTo(1 - metrics[1].s + 2 * metrics[1].d, 3);

  const mark = (await messages(page)).length;
  await send(page, { type: 'reset', settings: { ...TINY, backend: 'wasm', mode: 'opl' } });
  const data = await waitForMessage(page, 'data', { after: mark });
  expect(data.runNames).toEqual(['CE + OPL']);
  await waitForMessage(page, 'phase', { phase: 'ready', after: mark });
  // Nothing from the old session arrives after the reset was answered.
  const late = (await messages(page)).slice(mark).filter((m) => m.type === 'progress');
  expect(late).toHaveLength(0);
  await page.screenshot({ path: testInfo.outputPath('controls.png'), fullPage: true });
});

test("'auto' on a software adapter measures the backends once and keeps the fastest", async ({ page }, testInfo) => {
  await openHarness(page);
  await send(page, { type: 'init', settings: { ...TINY, backend: 'auto' } });
  const chosen = await waitForMessage(page, 'backend');
  const measurements = chosen.measurements as Array<{ backend: string; msPerStep: number }>;
  expect(measurements.length).toBeGreaterThanOrEqual(2);
  expect(measurements.map((m) => m.backend)).toEqual(expect.arrayContaining(['webgpu', 'wasm']));
  const fastest = measurements.reduce((a, b) => (b.msPerStep < a.msPerStep ? b : a));
  expect(chosen.backend).toBe(fastest.backend);
  expect(chosen.reason).toContain('software');
  note(testInfo, 'auto', String(chosen.reason));
  await waitForMessage(page, 'phase', { phase: 'ready' });

  // Reset, another backend and back, a different model: none measures again, for the page's lifetime.
  const sessions: Array<Partial<LabSettings>> = [{ backend: 'auto' }, { backend: 'wasm' }, { backend: 'auto', width: 8, model: 'resnet14' }];
  for (const settings of sessions) {
    const mark = (await messages(page)).length;
    const started = Date.now();
    await send(page, { type: 'reset', settings: { ...TINY, ...settings } });
    const again = await waitForMessage(page, 'backend', { after: mark });
    await waitForMessage(page, 'phase', { phase: 'ready', after: mark });
    expect((await messages(page)).slice(mark).filter((m) => m.type === 'phase' && /measuring/.test(String(m.detail)))).toEqual([]);
    if (settings.backend === 'auto') {
      expect(again.backend).toBe(fastest.backend);
      expect(again.reason).toContain('fastest measured earlier');
      expect(again.measurements).toEqual(measurements);
    } else {
      expect(again.backend).toBe(settings.backend);
    }
    note(testInfo, `reset to ${JSON.stringify(settings)}`, `${Date.now() - started} ms: ${String(again.reason)}`);
  }
  await page.screenshot({ path: testInfo.outputPath('auto.png'), fullPage: true });
});

// Last: crashing the GPU process affects the whole browser.
test('a lost WebGPU device falls back to the next backend and continues from the last checkpoint', async ({ page, browser }, testInfo) => {
  await openHarness(page);
  await send(page, { type: 'init', settings: { ...TINY, backend: 'webgpu', epochs: 2, embedCount: 0 } });
  await waitForMessage(page, 'phase', { phase: 'ready' });
  await send(page, { type: 'start' });
  // Step 5 comes after the first epoch's checkpoint (step 4).
  const before = await waitForMessage(page, 'progress', { nth: 5 });
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send('Browser.crashGpuProcess');
  const notice = await waitForMessage(page, 'notice', { timeout: 60_000 });
  expect(String(notice.message)).toContain('WebGPU device was lost');
  expect(String(notice.message)).toContain('continued from the checkpoint at step 4');
  const [, fallback] = await messages(page, 'backend');
  expect(['webgl', 'wasm']).toContain(fallback.backend);
  const rollback = await waitForMessage(page, 'history');
  expect(rollback.step).toBe(4);
  expect((rollback.history as { progress: Array<{ step: number }> }).progress.map((p) => p.step)).toEqual([1, 2, 3, 4]);
  await waitForMessage(page, 'phase', { phase: 'done' });
  // The steps after the checkpoint run again on the fallback, from the checkpoint's weights, batches and
  // augmentation: the same numbers up to the two backends' float differences; never back to step 1.
  const progress = await messages(page, 'progress');
  const restart = progress.findIndex((p, i) => i > 0 && (p.step as number) <= (progress[i - 1].step as number));
  expect(restart).toBeGreaterThan(0);
  expect(progress[restart].step).toBe(5);
  const first = (before.metrics as Array<Record<string, number>>)[1];
  const again = (progress[restart].metrics as Array<Record<string, number>>)[1];
  expect(again.total).toBeCloseTo(first.total, 3);
  expect(progress.slice(restart).map((p) => p.step)).toEqual([5, 6, 7, 8]);
  note(testInfo, 'fallback', `${String(notice.message)} → ${String(fallback.backend)}`);
  await page.screenshot({ path: testInfo.outputPath('device-lost.png'), fullPage: true });
});
