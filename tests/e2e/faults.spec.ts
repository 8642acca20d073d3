// Faults in the real training worker (harness page, WASM, real CIFAR-10): a loss that turns NaN or Inf pauses
// the run and rolls the weights back to the last good checkpoint; a storage quota too small for the next
// checkpoint gives a notice, keeps the previous checkpoint and lets training finish; an uncaught error or an
// unhandled rejection in the worker becomes an error message, not silence.
import { expect, test, type Page } from '@playwright/test';
import { messages, note, openHarness, send, TINY, waitForMessage, type Recorded } from './support';

const WASM = { ...TINY, backend: 'wasm' as const, embedCount: 0 };

const metricsOf = (p: Recorded) => p.metrics as Array<Record<string, number>>;

/** Train `count` single steps (each waits for its progress message): deterministic, unlike pausing a loop. */
async function stepTimes(page: Page, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const done = (await messages(page, 'progress')).length;
    await send(page, { type: 'step' });
    await waitForMessage(page, 'progress', { nth: done + 1, timeout: 60_000 });
  }
}

/** Wait until the worker reports a save whose checkpoint is at `step`; returns the run id. */
async function waitForCheckpoint(page: Page, step: number): Promise<string> {
  const saved = await page.waitForFunction((at) => window.harness.messages.find((m) => m.type === 'saved' && m.checkpointStep === at) ?? null, step, { timeout: 60_000 });
  return String(((await saved.jsonValue()) as Recorded).runId);
}

test('a huge learning rate: the run pauses at the NaN step, rolled back to the last good checkpoint', async ({ page }, testInfo) => {
  await openHarness(page);
  // The page's settings table stops at lr 1; the harness talks to the worker directly, which takes any lr > 0.
  await send(page, { type: 'init', settings: { ...WASM, lr: 1e6, epochs: 5 } });
  await waitForMessage(page, 'phase', { phase: 'ready' });
  await send(page, { type: 'start' });
  const notice = await waitForMessage(page, 'notice', { timeout: 120_000 });
  const text = String(notice.message);
  const found = /^Training paused: the (CE run's loss|CE \+ OPL run's loss|CE and CE \+ OPL runs' losses) became NaN or infinite at step (\d+); /.exec(text);
  expect(found, text).not.toBeNull();
  const nanStep = Number(found![2]);
  // Checkpoints are taken at every epoch end (4 steps); the last good one is the last before the NaN step.
  const checkpoint = 4 * Math.floor((nanStep - 1) / 4);
  expect(text).toContain(checkpoint > 0 ? `the weights are back at the checkpoint of step ${checkpoint}` : 'initial values (step 0)');
  expect(text).toContain('Try a lower learning rate (now 1000000)');
  await waitForMessage(page, 'phase', { phase: 'paused', timeout: 60_000 });
  const rollback = await waitForMessage(page, 'history');
  expect(rollback.step).toBe(checkpoint);
  expect((rollback.history as { progress: Recorded[] }).progress.map((p) => p.step)).toEqual(Array.from({ length: checkpoint }, (_, i) => i + 1));
  // Nothing non-finite reached the page, and the weights really are the checkpoint's: one more step retraces the
  // step after it exactly (wasm is deterministic). When that step was finite the first time, its metrics come
  // back equal; when it is the NaN step itself, the same NaN comes back at the same step, rolled back again.
  const before = await messages(page, 'progress');
  for (const p of before) for (const m of metricsOf(p)) for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
  if (nanStep === checkpoint + 1) {
    const notices = (await messages(page, 'notice')).length;
    await send(page, { type: 'step' });
    const again = await waitForMessage(page, 'notice', { nth: notices + 1, timeout: 60_000 });
    expect(again.message).toBe(text);
    expect((await messages(page, 'progress')).length).toBe(before.length);
  } else {
    await stepTimes(page, 1);
    const again = (await messages(page, 'progress')).at(-1)!;
    expect(again.step).toBe(checkpoint + 1);
    const first = before.find((p) => p.step === checkpoint + 1);
    if (first) expect(metricsOf(again)).toEqual(metricsOf(first));
  }
  note(testInfo, 'NaN notice', text);
});

test('an infinite λ after the first epoch: rolled back to the checkpoint of step 4, curves cut there', async ({ page }, testInfo) => {
  await openHarness(page);
  await send(page, { type: 'init', settings: { ...WASM, epochs: 3 } });
  await waitForMessage(page, 'phase', { phase: 'ready' });
  await stepTimes(page, 4);
  await waitForCheckpoint(page, 4);
  // The settings table caps λ at 4; the worker multiplies whatever it is sent.
  await send(page, { type: 'setLoss', loss: { gamma: 2, lambda: Infinity, absNegative: false } });
  await waitForMessage(page, 'lossChanged');
  await send(page, { type: 'step' });
  const notice = await waitForMessage(page, 'notice', { timeout: 60_000 });
  expect(String(notice.message)).toContain("the CE + OPL run's loss became NaN or infinite at step 5");
  expect(String(notice.message)).toContain('the weights are back at the checkpoint of step 4');
  const rollback = await waitForMessage(page, 'history');
  expect(rollback.step).toBe(4);
  const history = rollback.history as { progress: Recorded[]; evaluations: Recorded[]; lossChanges: Recorded[] };
  expect(history.progress.map((p) => p.step)).toEqual([1, 2, 3, 4]);
  expect(history.evaluations.map((e) => e.step)).toEqual([4]);
  // The λ set after the checkpoint is still in force , marked at step 4.
  expect(history.lossChanges).toEqual([{ step: 4, loss: { gamma: 2, lambda: Infinity, absNegative: false } }]);
  expect((await messages(page, 'progress')).map((p) => p.step)).toEqual([1, 2, 3, 4]);
  note(testInfo, 'Inf notice', String(notice.message));
});

test('storage full: a notice, the previous checkpoint kept, training finishes', async ({ page, context }, testInfo) => {
  await openHarness(page);
  await send(page, { type: 'init', settings: { ...WASM, epochs: 3, embedCount: 32 } });
  await waitForMessage(page, 'phase', { phase: 'ready' });
  await stepTimes(page, 4);
  const runId = await waitForCheckpoint(page, 4);
  const before = await page.evaluate((id) => window.harness.readSavedRun(id), runId);
  expect(before).toMatchObject({ checkpoint: { step: 4 }, summary: { checkpointStep: 4, finished: false }, embedding: { step: 4 } });

  const cdp = await context.newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1024 });
  try {
    // Chromium's IndexedDB trusts the space it was granted for up to 30 s (BucketContext::kBucketSpaceCacheTimeLimit).
    await page.waitForTimeout(31_000);
    const mark = (await messages(page)).length;
    await send(page, { type: 'start' });
    await waitForMessage(page, 'phase', { phase: 'done', after: mark, timeout: 180_000 });
    const notices = (await messages(page, 'notice')).map((n) => String(n.message));
    const full = notices.filter((n) => n.startsWith('Storage is full'));
    expect(full, notices.join(' | ')).toHaveLength(1);
    expect(full[0]).toContain('the saved checkpoint at step 4 is kept');
    expect(full[0]).toContain('Training continues');
    // Training went on to the end, and nothing of the failed writes was stored.
    expect((await messages(page, 'progress')).at(-1)?.step).toBe(12);
    expect((await messages(page, 'saved')).slice(mark)).toEqual([]);
    const after = await page.evaluate((id) => window.harness.readSavedRun(id), runId);
    expect(after).toMatchObject({ checkpoint: { step: 4, state: { step: 4 } }, summary: { checkpointStep: 4, finished: false }, embedding: { step: 4 } });
    note(testInfo, 'storage full notice', full[0]);
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }
});

for (const kind of ['throw', 'reject'] as const) {
  test(`an uncaught ${kind === 'throw' ? 'error' : 'rejection'} in the worker becomes an error message and the phase 'failed'`, async ({ page }) => {
    await openHarness(page);
    await send(page, { type: 'init', settings: WASM });
    await waitForMessage(page, 'phase', { phase: 'ready' });
    await send(page, { type: 'fault', kind });
    const failed = await page.waitForFunction(() => window.harness.messages.find((m) => m.type === 'error') ?? null, undefined, { timeout: 30_000 });
    const error = (await failed.jsonValue()) as Recorded;
    expect(String(error.message)).toMatch(/^the training worker hit an unexpected (error|failure) \(test fault: an (uncaught error|unhandled rejection) in the training worker\); press Reset/);
    await page.waitForFunction(() => window.harness.messages.some((m) => m.type === 'phase' && m.phase === 'failed'), undefined, { timeout: 30_000 });
    // The worker itself lives on: a reset opens a new session that trains.
    const mark = (await messages(page)).length;
    await send(page, { type: 'reset', settings: WASM });
    await page.waitForFunction((after) => window.harness.messages.slice(after).some((m) => m.type === 'phase' && m.phase === 'ready'), mark, { timeout: 60_000 });
    await send(page, { type: 'step' });
    await page.waitForFunction((after) => window.harness.messages.slice(after).some((m) => m.type === 'progress'), mark, { timeout: 60_000 });
    expect((await messages(page, 'workerError'))).toEqual([]);
  });
}
