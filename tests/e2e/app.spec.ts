// The lab page itself (index.html, as built), driven like a person would: presets, Train / Pause / Step,
// labelled fields and the URL. Trains the Tiny preset for real on WebGPU (SwiftShader) and on WASM and checks
// that every panel draws, that links reproduce the settings, and that a broken link is survivable.
import { expect, test, type Page } from '@playwright/test';
import { note } from './support';
import {
  CIFAR10_NAMES,
  expectThumbnailOnHover,
  describeLongTasks,
  expectDrawn,
  followRun,
  keepScreenshot,
  openLab,
  panel,
  chartLines,
  drawnLines,
  readLongTasks,
  readPageTime,
  recordLongTasks,
  statusLine,
  waitForPhase,
} from './lab';

// No Playwright trace in this file: tracing takes a DOM snapshot at every locator action on the page's main
// thread, which would show up among the long tasks the training tests report (Playwright allows `trace` only
// per file or project). The screenshots kept below still record what each test saw.
test.use({ trace: 'off' });

const RUNS = ['CE', 'CE + OPL'];
const NUMBER = /^[+−-]?\d+(\.\d+)?%?( pts)?$|^±0(\.0+)?( pts)?$/;

/** Median and range of the steps per second the page showed. */
function summariseRates(rates: number[]): string {
  if (rates.length === 0) return 'none shown';
  const sorted = [...rates].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} (${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)}, ${rates.length} readings)`;
}

const backendBadge = (page: Page) => page.getByLabel('Backend in use', { exact: true });

/** Pick the Tiny preset and check the fields follow (the backend in use stays as it was). */
async function pickTiny(page: Page): Promise<void> {
  const tiny = page.getByRole('button', { name: 'Tiny (for testing)' });
  await tiny.click();
  await expect(tiny).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByLabel('Classes', { exact: true })).toHaveValue('2');
  await expect(page.getByLabel('Width (stage-1 channels)', { exact: true })).toHaveValue('4');
}

/** Both feature maps show the last UMAP epoch of their layout. */
async function expectUmapSettled(page: Page): Promise<void> {
  for (const run of RUNS) {
    await expect(panel(page, run, 'Feature map').getByText('UMAP epoch 200 / 200')).toBeVisible({ timeout: 60_000 });
  }
}

/** Every panel of both runs shows real content once an epoch has been evaluated and UMAP has settled. */
async function expectPanelsDrawn(page: Page, classNames: string[]): Promise<void> {
  await expectUmapSettled(page);
  for (const run of RUNS) {
    const numbers = panel(page, run, 'Numbers').locator('tbody td');
    const values = await numbers.allTextContents();
    expect(values.length, `${run}: numbers`).toBeGreaterThanOrEqual(5);
    for (const v of values) expect(v, `${run}: every number is finite`).toMatch(NUMBER);

    const curves = await chartLines(panel(page, run, 'Curves'));
    // Loss (3 lines) and s / d (2 lines) have a point per step.
    expect(drawnLines(curves).length, `${run}: curves drawn: ${JSON.stringify(curves)}`).toBeGreaterThanOrEqual(5);

    await expectDrawn(panel(page, run, 'Class similarity').locator('canvas'), `${run}: class similarity`);
    await expectDrawn(panel(page, run, 'Sample similarity').locator('canvas'), `${run}: sample similarity`);
    await expectDrawn(panel(page, run, 'Feature map').locator('canvas.feature-map'), `${run}: feature map`, 0.001);
    const legend = panel(page, run, 'Feature map').getByRole('list', { name: 'Class colours' });
    await expect(legend).toHaveText(new RegExp(classNames.join('.*')));

    const histogram = await chartLines(panel(page, run, 'Cosine histogram'));
    expect(drawnLines(histogram).length, `${run}: histogram areas: ${JSON.stringify(histogram)}`).toBe(2);
  }
}

test('WebGPU: the Tiny preset trains both runs through the page, and every panel draws', async ({ page }, testInfo) => {
  await recordLongTasks(page);
  await openLab(page, '#backend=webgpu');
  const badge = backendBadge(page);
  await expect(badge).toContainText('WebGPU', { timeout: 120_000 });
  await expect(badge).toContainText('swiftshader');
  await pickTiny(page);
  await expect(page.getByLabel('Backend', { exact: true })).toHaveValue('webgpu');

  const since = await readPageTime(page);
  await page.getByRole('button', { name: 'Train' }).click();
  let paused = false;
  const { stepsPerSecond } = await followRun(page, 'paused', {
    at: async (step) => {
      if (step >= 2 && !paused) {
        paused = true;
        await page.getByRole('button', { name: 'Pause' }).click();
      }
    },
  });
  await expect(statusLine(page)).toContainText('Paused');
  await expect(page.getByRole('button', { name: 'Train' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeDisabled();
  await keepScreenshot(page, testInfo, 'webgpu-tiny-paused');

  // Resume to the end of the epoch: evaluation, embedding, UMAP.
  await page.getByRole('button', { name: 'Train' }).click();
  const rest = await followRun(page, 'done');
  await expect(statusLine(page)).toContainText('step 4 / 4');
  await expect(badge).toContainText('WebGPU');
  await expectUmapSettled(page);
  // From Train to the settled feature maps (the pause and its screenshot included).
  const long = await readLongTasks(page, since, await readPageTime(page));
  await expectPanelsDrawn(page, CIFAR10_NAMES.slice(0, 2));
  await expectThumbnailOnHover(page, CIFAR10_NAMES.slice(0, 2));
  await keepScreenshot(page, testInfo, 'webgpu-tiny-done');
  note(testInfo, 'long tasks, webgpu tiny run', describeLongTasks(long));
  note(testInfo, 'webgpu steps/s (page)', [...stepsPerSecond, ...rest.stepsPerSecond].map((r) => r.toFixed(2)).join(', ') || 'none shown');
});

test('WASM: the Tiny preset trains to the end; Step works; main-thread long tasks are recorded', async ({ page }, testInfo) => {
  await recordLongTasks(page);
  await openLab(page, '#backend=wasm');
  const badge = backendBadge(page);
  await expect(badge).toContainText('WASM', { timeout: 60_000 });
  await expect(badge).toContainText('as asked');
  await expect(badge).toContainText('on the CPU');
  await pickTiny(page);
  // Picking a preset only changes the settings; the session follows on Reset (or Train).
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(statusLine(page)).toContainText('CIFAR-10, 2 classes: airplane, automobile · 32 training / 16 test images');
  await waitForPhase(page, 'ready');

  const since = await readPageTime(page);
  // Two single steps: the run pauses mid-epoch, with curves but no evaluation yet.
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(statusLine(page)).toContainText('step 1 / 4');
  await waitForPhase(page, 'paused');
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(statusLine(page)).toContainText('step 2 / 4');
  await waitForPhase(page, 'paused');
  await expect(panel(page, 'CE + OPL', 'Numbers')).toContainText('Appears after the first epoch');
  await keepScreenshot(page, testInfo, 'wasm-tiny-mid-run');

  await page.getByRole('button', { name: 'Train' }).click();
  const { stepsPerSecond } = await followRun(page, 'done');
  await expectUmapSettled(page);
  // The run from the first Step to the settled feature maps; the checks below read canvases back themselves.
  const long = await readLongTasks(page, since, await readPageTime(page));
  await expectPanelsDrawn(page, CIFAR10_NAMES.slice(0, 2));
  await expectThumbnailOnHover(page, CIFAR10_NAMES.slice(0, 2));
  await keepScreenshot(page, testInfo, 'wasm-tiny-done');
  note(testInfo, 'wasm steps/s (page)', stepsPerSecond.map((r) => r.toFixed(2)).join(', ') || 'too quick to show');
  note(testInfo, 'long tasks, tiny run', describeLongTasks(long));
});

test('the opening preset trains on WASM at 1280 px, and its class names show', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await recordLongTasks(page);
  await openLab(page, '#backend=wasm');
  await expect(page.getByRole('button', { name: 'Orthogonality in one minute (γ = 2)' })).toHaveAttribute('aria-pressed', 'true');
  await waitForPhase(page, 'ready', 60_000);
  // The real data are named before anything trains: the worker loaded them and reports their classes.
  await expect(statusLine(page)).toContainText(`CIFAR-10, 5 classes: ${CIFAR10_NAMES.slice(0, 5).join(', ')} · 750 training / 1,000 test images`);
  const since = await readPageTime(page);
  await page.getByRole('button', { name: 'Train' }).click();
  // Mid-run, as it trains: in the second epoch, with the first epoch's panels drawn.
  let shot: [number, number] | null = null;
  const { stepsPerSecond } = await followRun(page, 'done', {
    at: async (step) => {
      if (shot || step < 30) return;
      const start = await readPageTime(page);
      await keepScreenshot(page, testInfo, 'opening-preset-mid-run');
      shot = [start, await readPageTime(page)];
    },
  });
  expect(shot, 'a screenshot mid-run').not.toBeNull();
  await expectUmapSettled(page);
  const long = await readLongTasks(page, since, await readPageTime(page));
  // The test's own full-page screenshot makes the page paint all of itself: its tasks are counted apart.
  const duringShot = await readLongTasks(page, shot![0], shot![1]);
  await expectPanelsDrawn(page, CIFAR10_NAMES.slice(0, 5));
  await keepScreenshot(page, testInfo, 'opening-preset-done');
  note(testInfo, 'opening preset, wasm steps/s (page)', summariseRates(stepsPerSecond));
  note(testInfo, 'long tasks, opening preset', `${describeLongTasks(long)}; of them during the test's full-page screenshot: ${describeLongTasks(duringShot)}`);
});

test('a link reproduces the settings chosen with the controls', async ({ page, context }) => {
  await openLab(page, '#backend=wasm');
  await page.getByLabel('Runs', { exact: true }).selectOption('opl');
  await page.getByLabel('γ (weight of d inside OPL), value', { exact: true }).fill('1.25');
  await page.getByLabel('d variant', { exact: true }).selectOption({ label: 'mean |cosine| (paper equation)' });
  await page.getByLabel('Classes', { exact: true }).fill('3');
  await page.getByLabel('Model', { exact: true }).selectOption('resnet14');
  await page.getByLabel('Epochs', { exact: true }).fill('2');
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByLabel('Learning rate', { exact: true }).fill('0.02');
  await expect(page.getByText('Custom settings: the link in the address bar reproduces them.')).toBeVisible();
  const hash = await page.evaluate(() => location.hash);
  for (const part of ['mode=opl', 'gamma=1.25', 'd=abs', 'classes=3', 'model=resnet14', 'epochs=2', 'seed=7', 'lr=0.02', 'backend=wasm']) {
    expect(hash).toContain(part);
  }

  const other = await context.newPage();
  await openLab(other, hash);
  await expect(other.getByLabel('Runs', { exact: true })).toHaveValue('opl');
  await expect(other.getByLabel('γ (weight of d inside OPL), value', { exact: true })).toHaveValue('1.25');
  await expect(other.getByLabel('γ (weight of d inside OPL)', { exact: true })).toHaveValue('1.25');
  await expect(other.getByLabel('d variant', { exact: true })).toHaveValue('1');
  await expect(other.getByLabel('Classes', { exact: true })).toHaveValue('3');
  await expect(other.getByLabel('Model', { exact: true })).toHaveValue('resnet14');
  await expect(other.getByLabel('Epochs', { exact: true })).toHaveValue('2');
  await expect(other.getByLabel('Seed', { exact: true })).toHaveValue('7');
  await expect(other.getByLabel('Learning rate', { exact: true })).toHaveValue('0.02');
  await expect(other.getByLabel('Backend', { exact: true })).toHaveValue('wasm');
  expect(await other.evaluate(() => location.hash)).toBe(hash);
  // The session the new page opened is the one the link describes.
  await waitForPhase(other, 'ready', 60_000);
  await expect(other.getByRole('heading', { name: /^CE \+ OPL/, level: 2 })).toBeVisible();
  await expect(other.getByRole('heading', { name: /^CE trained/, level: 2 })).toHaveCount(0);
  await expect(other.getByRole('region', { name: 'Notices' })).toHaveCount(0);
});

test('a malformed link shows what was corrected, and the page still trains', async ({ page }, testInfo) => {
  await openLab(page, '#backend=wasm&gamma=banana&classes=999&lr=-3&epochs=2.5&model=resnet999&foo=bar&%E0%A4%A=x&seed=1e400');
  const notices = page.getByRole('region', { name: 'Notices' });
  await expect(notices).toBeVisible();
  for (const text of ['“banana” is not a number', 'above the maximum', 'below the minimum', 'not a whole number', 'Ignored 2 unknown settings']) {
    await expect(notices).toContainText(text);
  }
  await expect(page.getByLabel('γ (weight of d inside OPL), value', { exact: true })).toHaveValue('2');
  await expect(page.getByLabel('Classes', { exact: true })).toHaveValue('10');
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('3');
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('resnet8');
  // The address bar now holds the corrected settings, and the lab works.
  expect(await page.evaluate(() => location.hash)).not.toContain('banana');
  await expect(backendBadge(page)).toContainText('WASM', { timeout: 60_000 });
  await waitForPhase(page, 'ready', 60_000);
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(statusLine(page)).toContainText('step 1 /');
  await waitForPhase(page, 'paused');
  await expect(panel(page, 'CE', 'Curves')).toBeVisible();
  await keepScreenshot(page, testInfo, 'malformed-link');
});
