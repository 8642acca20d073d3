// The lab page keeps its runs (IndexedDB, real Chromium, WASM, real CIFAR-10): a real reload mid-run offers to
// resume, and the resumed run continues from its checkpoint with its curves and step count, not from step 0; the
// runs list opens, renames, compares and deletes saved runs; a worker that throws leaves a message, not a blank page.
import { expect, test, type Page } from '@playwright/test';
import { chartLines, drawnLines, followRun, keepScreenshot, openLab, panel, pathsWithData, statusLine, waitForPhase } from './lab';
import { note } from './support';

/** The Tiny preset with `epochs` epochs of 4 steps, on WASM, as a session ready to train. */
async function openTiny(page: Page, epochs: number, seed = 1): Promise<void> {
  await openLab(page, '#backend=wasm');
  await page.getByRole('button', { name: 'Tiny (for testing)' }).click();
  await page.getByLabel('Epochs', { exact: true }).fill(String(epochs));
  await page.getByLabel('Seed', { exact: true }).fill(String(seed));
  await page.getByRole('button', { name: 'Reset' }).click();
  await waitForPhase(page, 'ready', 120_000);
}

const savedRuns = (page: Page) => page.getByRole('region', { name: 'Saved runs' });

/**
 * Points of the CE run's CE-loss curve, as drawn. (Its total is the same line, drawn under the dashed CE, so
 * only its dash gaps show.)
 */
async function countLossPoints(page: Page): Promise<number> {
  const lines = await chartLines(panel(page, 'CE', 'Curves').getByRole('figure', { name: 'Loss per step chart' }));
  return drawnLines(lines).find((l) => l.series === 'ce')?.points ?? 0;
}

test('a reload mid-run offers to resume; the run continues from its checkpoint with its curves', async ({ page }, testInfo) => {
  // 50 epochs of 4 steps: long enough to be mid-run whenever the reload comes.
  await openTiny(page, 50);
  await page.getByRole('button', { name: 'Train' }).click();
  // Reload once the list shows a checkpoint (every 4 steps), while training goes on.
  await expect(savedRuns(page).getByText(/checkpoint at \d+ · this session/)).toBeVisible({ timeout: 120_000 });
  const before = Number(/step (\d+) \//.exec((await statusLine(page).textContent()) ?? '')?.[1]);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'OPL Lab', level: 1 })).toBeVisible({ timeout: 30_000 });

  const offer = page.getByRole('region', { name: 'Resume the last run' });
  await expect(offer).toBeVisible({ timeout: 30_000 });
  const button = offer.getByRole('button', { name: /^Resume from step \d+$/ });
  const checkpoint = Number(/\d+/.exec((await button.textContent()) ?? '')?.[0]);
  expect(checkpoint % 4).toBe(0);
  expect(checkpoint).toBeGreaterThanOrEqual(4);
  expect(checkpoint).toBeLessThan(200);
  await keepScreenshot(page, testInfo, 'resume-offer');
  await button.click();
  await waitForPhase(page, 'paused', 120_000);
  await expect(statusLine(page)).toContainText(`step ${checkpoint} / 200`);
  await expect(offer).toHaveCount(0);
  // The curves are back up to the checkpoint (a point per step), the epoch evaluations too.
  await expect.poll(() => countLossPoints(page)).toBe(checkpoint);
  await expect(panel(page, 'CE', 'Numbers')).not.toContainText('Appears after the first epoch');

  // Training continues from there: the step count and the curve go on from the checkpoint, never from step 1.
  await page.getByRole('button', { name: 'Train' }).click();
  await waitForPhase(page, 'running', 60_000);
  let paused = false;
  await followRun(page, 'paused', {
    at: async (step) => {
      expect(step).toBeGreaterThanOrEqual(checkpoint);
      if (step >= checkpoint + 3 && !paused) {
        paused = true;
        await page.getByRole('button', { name: 'Pause' }).click();
      }
    },
  });
  const after = Number(/step (\d+) \//.exec((await statusLine(page).textContent()) ?? '')?.[1]);
  expect(after).toBeGreaterThanOrEqual(checkpoint + 3);
  await expect.poll(() => countLossPoints(page)).toBe(after);
  await keepScreenshot(page, testInfo, 'resumed');
  note(testInfo, 'reload', `status showed step ${before} just before the reload; resumed from the checkpoint at step ${checkpoint}, paused at ${after}`);
});

test('the runs list: open, rename, compare and delete saved runs', async ({ page }, testInfo) => {
  await openTiny(page, 2, 1);
  await page.getByRole('button', { name: 'Train' }).click();
  await followRun(page, 'done');
  await page.getByLabel('Seed', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(statusLine(page)).not.toHaveAttribute('data-phase', 'done');
  await followRun(page, 'done');
  const rows = savedRuns(page).locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'seed 1' })).toContainText('8 / 8');
  await expect(rows.filter({ hasText: 'seed 1' })).toContainText(/CE \d+% · CE \+ OPL \d+%/);

  // Rename, and the name survives a reload. (While it is edited the row shows an input, not its name.)
  const id = await rows.filter({ hasText: 'seed 1' }).getAttribute('data-run-id');
  const first = savedRuns(page).locator(`tr[data-run-id="${id}"]`);
  await first.getByRole('button', { name: 'Rename' }).click();
  await first.getByLabel('New name').fill('my first run');
  await first.getByLabel('New name').press('Enter');
  await expect(rows.filter({ hasText: 'my first run' })).toHaveCount(1);
  await page.reload();
  await expect(savedRuns(page).locator('tbody tr').filter({ hasText: 'my first run' })).toHaveCount(1, { timeout: 30_000 });

  // Open: its panels replace the (empty) live ones.
  const renamed = savedRuns(page).locator('tbody tr').filter({ hasText: 'my first run' });
  await renamed.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByRole('region', { name: 'Saved run shown' })).toContainText('“my first run” (step 8 of 8)');
  await expect.poll(() => countLossPoints(page)).toBe(8);
  await expect(panel(page, 'CE + OPL', 'Numbers')).not.toContainText('Appears after the first epoch');
  await expect(panel(page, 'CE', 'Feature map').getByText('UMAP epoch 200 / 200')).toBeVisible({ timeout: 60_000 });
  await keepScreenshot(page, testInfo, 'opened-run');
  await page.getByRole('button', { name: 'Back to the live session' }).click();
  await expect(page.getByRole('region', { name: 'Saved run shown' })).toHaveCount(0);

  // Compare both: one accuracy line and one d line per run of each saved run.
  for (const row of await savedRuns(page).locator('tbody tr').all()) await row.getByRole('checkbox').check();
  await savedRuns(page).getByRole('button', { name: 'Compare 2 runs' }).click();
  const comparison = page.getByRole('region', { name: 'Comparison of saved runs' });
  await expect(comparison).toContainText('Comparing 2 saved runs');
  const accuracyLines = await pathsWithData(comparison.getByRole('figure', { name: 'Test accuracy per epoch chart' }), 'path.recharts-line-curve');
  const dLines = await pathsWithData(comparison.getByRole('figure', { name: /^d \(batch different-class cosine\)/ }), 'path.recharts-line-curve');
  expect(accuracyLines).toHaveLength(4);
  expect(dLines).toHaveLength(4);
  await expect(comparison).toContainText('my first run: CE + OPL');
  await keepScreenshot(page, testInfo, 'comparison');

  // Delete takes a second click, and the run is gone for good (after a reload too).
  const victim = savedRuns(page).locator('tbody tr').filter({ hasText: 'my first run' });
  await victim.getByRole('button', { name: 'Delete' }).click();
  await victim.getByRole('button', { name: 'Delete for good' }).click();
  await expect(savedRuns(page).locator('tbody tr')).toHaveCount(1);
  await page.reload();
  await expect(savedRuns(page).locator('tbody tr')).toHaveCount(1, { timeout: 30_000 });
  await expect(savedRuns(page)).not.toContainText('my first run');
});

test('a worker that throws: the page says so and keeps working', async ({ page }, testInfo) => {
  await openTiny(page, 1);
  // Only the e2e build exposes this: the page itself never sends a fault.
  await page.evaluate(() => (window as unknown as { oplSend: (m: unknown) => void }).oplSend({ type: 'fault', kind: 'throw' }));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Training stopped: the training worker hit an unexpected error (test fault: an uncaught error in the training worker); press Reset');
  await waitForPhase(page, 'failed');
  await expect(page.getByRole('heading', { name: 'OPL Lab', level: 1 })).toBeVisible();
  await keepScreenshot(page, testInfo, 'worker-threw');
  // Train rebuilds the failed session and trains.
  await page.getByRole('button', { name: 'Train' }).click();
  await followRun(page, 'done');
  await expect(statusLine(page)).toContainText('step 4 / 4');
});
