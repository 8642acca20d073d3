// The Robustness and Few-shot panels on the real page: after a tiny WASM training run, an FGSM and then a PGD
// attack show accuracy under attack for both runs with attacked example images, and few-shot episodes on the
// 8 untrained CIFAR-10 classes show mean ± 95% interval for both runs. Their settings live in the URL.
import { expect, test, type Page } from '@playwright/test';
import { expectDrawn, followRun, keepScreenshot, openLab, statusLine, waitForPhase } from './lab';
import { note } from './support';

const TINY_HASH = '#backend=wasm&classes=2&train=16&test=8&width=4&batch=8&epochs=1&embed=16&attackN=16&ways=5&shots=1&episodes=20';
const PERCENT = /^\d{1,3}%$/;

const robustness = (page: Page) => page.getByRole('region', { name: 'Robustness', exact: true });
const fewShot = (page: Page) => page.getByRole('region', { name: 'Few-shot', exact: true });

/** The value cells of a probe table, row by row. */
async function readRows(page: Page, table: string): Promise<string[][]> {
  const rows = page.getByRole('table', { name: table }).locator('tbody tr');
  return rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())));
}

test('after a tiny WASM run, both panels run and show numbers for both runs', async ({ page }, testInfo) => {
  await openLab(page, TINY_HASH);
  await page.getByRole('button', { name: 'Train' }).click();
  await followRun(page, 'done');
  await expect(statusLine(page)).toContainText('2 classes: airplane, automobile');

  // FGSM at the default ε = 8/255
  const panel = robustness(page);
  await expect(panel.getByRole('button', { name: 'Run attack' })).toBeEnabled();
  await panel.getByRole('button', { name: 'Run attack' }).click();
  const attackTable = page.getByRole('table', { name: 'Accuracy under attack' });
  await expect(attackTable).toContainText('FGSM ε 8/255', { timeout: 120_000 });
  let rows = await readRows(page, 'Accuracy under attack');
  expect(rows).toHaveLength(2);
  for (const row of rows) {
    expect(row).toHaveLength(2); // CE and CE + OPL
    for (const cell of row) expect(cell).toMatch(PERCENT);
  }
  note(testInfo, 'FGSM 8/255 clean → attacked (CE, CE + OPL)', `${rows[0].join(', ')} → ${rows[1].join(', ')}`);
  for (const run of ['CE', 'CE + OPL']) {
    const examples = panel.getByRole('list', { name: `${run}: attacked examples` });
    await expect(examples.getByRole('listitem').filter({ has: page.locator('canvas') })).toHaveCount(8);
    await expectDrawn(examples.getByRole('img', { name: /^attacked / }).first(), `${run}: an attacked image`, 0.5);
    await expectDrawn(examples.getByRole('img', { name: /^clean / }).first(), `${run}: a clean image`, 0.5);
  }

  // PGD at ε = 4/255, chosen with the panel's controls: the link follows
  await panel.getByLabel('Attack', { exact: true }).selectOption('pgd');
  const epsilon = panel.getByLabel('ε (in 1/255 pixel steps), value', { exact: true });
  await epsilon.fill('4');
  await epsilon.press('Enter');
  await expect(page).toHaveURL(/attack=pgd/);
  await expect(page).toHaveURL(/eps=4(&|$)/);
  await expect(page.getByRole('button', { name: 'Train' })).toBeEnabled(); // no reset needed for an analysis setting
  await panel.getByRole('button', { name: 'Run attack' }).click();
  await expect(attackTable).toContainText('PGD ε 4/255', { timeout: 120_000 });
  rows = await readRows(page, 'Accuracy under attack');
  for (const row of rows) for (const cell of row) expect(cell).toMatch(PERCENT);
  note(testInfo, 'PGD 4/255 clean → attacked (CE, CE + OPL)', `${rows[0].join(', ')} → ${rows[1].join(', ')}`);

  // Few-shot: 5-way 1-shot on the 8 classes the session did not train on
  await fewShot(page).getByRole('button', { name: 'Run episodes' }).click();
  const fewShotTable = page.getByRole('table', { name: 'Few-shot accuracy' });
  await expect(fewShotTable).toContainText('5-way 1-shot, 20 episodes', { timeout: 180_000 });
  const [accuracy] = await readRows(page, 'Few-shot accuracy');
  expect(accuracy).toHaveLength(2);
  for (const cell of accuracy) expect(cell).toMatch(/^\d{1,3}\.\d% ± \d+\.\d$/);
  await expect(fewShot(page)).toContainText('Novel classes: bird, cat, deer, dog, frog, horse, ship, truck');
  await expect(fewShot(page)).toContainText('Chance is 20.0%');
  note(testInfo, '5-way 1-shot (CE, CE + OPL)', accuracy.join(', '));
  await keepScreenshot(page, testInfo, 'probes-done');
  await waitForPhase(page, 'done');
});
