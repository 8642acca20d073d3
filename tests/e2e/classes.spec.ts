// The class-level panels on the real page: a tiny WASM run with a long tail and pair-flip label noise set in
// the URL shows how many training labels the worker flipped, the class counts, and per-class test accuracy
// bars for both runs once the epoch is evaluated.
import { expect, test } from '@playwright/test';
import { CIFAR10_NAMES, keepScreenshot, openLab, waitForPhase, followRun } from './lab';

// Tiny sizes (see TINY in support.ts), 3 classes so the long tail has a middle class.
const HASH = '#backend=wasm&classes=3&train=16&test=8&width=4&batch=8&epochs=1&embed=16&imbalance=2&noise=0.25&noisekind=pairflip';

test('label noise and a long tail from the URL: flipped count, class counts and per-class accuracy drawn', async ({ page }, testInfo) => {
  await openLab(page, HASH);
  await expect(page.getByLabel('Label noise kind', { exact: true })).toHaveValue('pairflip');
  await waitForPhase(page, 'ready', 120_000);
  const training = page.getByRole('region', { name: 'Training set', exact: true });
  // 16·2^(−c/2) → 16, 11, 8 images = 35; round(0.25 · 35) = 9 flipped.
  await expect(training.getByTestId('flipped-count')).toHaveText(/^9 of 35 training labels flipped \(pair-flip: class c → c \+ 1, 25%\); test labels are clean\.$/);
  await expect(training).toContainText('long tail ρ = 2: 16 in the largest class, 8 in the smallest');
  const counts = training.locator('rect.class-bar[data-series="clean labels"]');
  await expect(counts).toHaveCount(3);
  const titles = await counts.locator('title').allTextContents();
  expect(titles).toEqual([`${CIFAR10_NAMES[0]}, clean labels: 16 images`, `${CIFAR10_NAMES[1]}, clean labels: 11 images`, `${CIFAR10_NAMES[2]}, clean labels: 8 images`]);
  const flippedTitles = await training.locator('rect.class-bar[data-series="flipped away"] title').allTextContents();
  expect(flippedTitles.map((t) => Number(/: (\d+) images$/.exec(t)?.[1])).reduce((a, b) => a + b, 0)).toBe(9);

  const perClass = page.getByRole('region', { name: 'Per-class test accuracy', exact: true });
  await expect(perClass).toContainText('Appears after the first epoch');
  await page.getByRole('button', { name: 'Train' }).click();
  await followRun(page, 'done');
  for (const run of ['CE', 'CE + OPL']) {
    const bars = perClass.locator(`rect.class-bar[data-series="${run}"]`);
    await expect(bars).toHaveCount(3);
    for (const title of await bars.locator('title').allTextContents()) expect(title).toMatch(new RegExp(`^\\w+, ${run.replace('+', '\\+')}: \\d+%$`));
  }
  // The test split is balanced and clean: 8 images per class, whatever the training set looked like.
  await expect(perClass.getByRole('img', { name: 'Per-class test accuracy' })).toBeVisible();
  await keepScreenshot(page, testInfo, 'class-panels-done');
});
