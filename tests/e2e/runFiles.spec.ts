// Run files and exports on the real page after a real (tiny, WASM) run: every export is a real download
// (Playwright's download event); the LayersModel loads with tf.loadLayersModel in Node; a run saved on one page
// and opened on a fresh one reproduces its panels; corrupted, truncated and foreign files give one line and
// leave the page as it was; a snapshot made by the CLI shows at once, before anything trains; a run whose data
// is not here shows its panels without training.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { decodeRunFile } from '../../src/core/io/runFile';
import { expect, test, type Page } from '@playwright/test';
import { serializeSettings } from '../../src/ui/settings';
import { TINY } from './support';
import { chartLines, CIFAR10_NAMES, drawnLines, expectThumbnailOnHover, followRun, openLab, panel, statusLine, waitForPhase } from './lab';

const RUNS = ['CE', 'CE + OPL'];
const TINY_WASM = `#${serializeSettings({ ...TINY, backend: 'wasm' })}`;

/** Run `click` and collect the `count` downloads it starts, by suggested name. */
async function downloads(page: Page, count: number, click: () => Promise<void>): Promise<Map<string, Buffer>> {
  const got = new Map<string, Buffer>();
  const all = new Promise<void>((resolve) => {
    const onDownload = async (d: import('@playwright/test').Download) => {
      got.set(d.suggestedFilename(), readFileSync(await d.path()));
      if (got.size === count) {
        page.off('download', onDownload);
        resolve();
      }
    };
    page.on('download', onDownload);
  });
  await click();
  await all;
  return got;
}

/** The numbers table of every run, as text. */
async function readNumbers(page: Page): Promise<string[][]> {
  return Promise.all(RUNS.map((run) => panel(page, run, 'Numbers').locator('tbody tr').allTextContents()));
}

const exportButton = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** The run saved by the first test, reused by the ones after it. */
let saved: { bytes: Buffer; name: string; numbers: string[][] } | null = null;

test.describe.configure({ mode: 'serial' });

test('a trained run exports its run file, metrics CSV, LayersModel and Projector features as real downloads', async ({ page }) => {
  await openLab(page, TINY_WASM);
  await waitForPhase(page, 'ready', 120_000);
  await page.getByRole('button', { name: 'Train' }).click();
  await followRun(page, 'done', { timeout: 10 * 60_000 });
  const numbers = await readNumbers(page);
  expect(numbers[0].length).toBeGreaterThan(2);

  const run = await downloads(page, 1, () => exportButton(page, 'Save run (.oplrun)').click());
  const [[name, bytes]] = [...run];
  expect(name).toMatch(/\.oplrun$/);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x4f, 0x50, 0x4c, 0x52, 0x55, 0x4e, 0x0a]);
  saved = { bytes, name, numbers };

  const csv = (await downloads(page, 1, () => exportButton(page, 'Metrics CSV').click())).get('metrics.csv')?.toString('utf8') ?? '';
  const rows = csv.trim().split('\n');
  // Four logged steps of two runs, plus one evaluation each, at least; the header names the columns.
  expect(rows[0]).toMatch(/step/);
  expect(rows.length).toBeGreaterThanOrEqual(1 + 4 * 2);
  expect(csv).toContain('CE + OPL');

  const projector = await downloads(page, 2, () => exportButton(page, 'Export CE + OPL features (Embedding Projector)').click());
  const tensors = projector.get('tensors.tsv')?.toString('utf8').trim().split('\n') ?? [];
  const metadata = projector.get('metadata.tsv')?.toString('utf8').trim().split('\n') ?? [];
  expect(tensors).toHaveLength(TINY.embedCount);
  expect(tensors[0].split('\t')).toHaveLength(4 * TINY.width); // 4w-dimensional features
  expect(tensors.every((row) => row.split('\t').every((v) => Number.isFinite(Number(v))))).toBe(true);
  expect(metadata).toHaveLength(TINY.embedCount + 1); // a header row, then one per point
  expect(metadata.slice(1).every((row) => /airplane|automobile/.test(row))).toBe(true);

  const model = await downloads(page, 2, () => exportButton(page, 'Export CE model (TensorFlow.js)').click());
  const modelJson = JSON.parse(model.get('model.json')?.toString('utf8') ?? '{}');
  const weights = model.get('weights.bin') as Buffer;
  expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
  // tf.loadLayersModel in Node, from the two downloaded files.
  await tf.setBackend('cpu');
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length);
  const loaded = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData }),
  );
  const logits = tf.tidy(() => loaded.predict(tf.randomUniform([3, 32, 32, 3], 0, 255)) as tf.Tensor);
  expect(logits.shape).toEqual([3, 2]);
  expect([...(await logits.data())].every(Number.isFinite)).toBe(true);
  logits.dispose();
  loaded.dispose();
});

test('a run file opened on a fresh page reproduces its panels and numbers', async ({ page }) => {
  test.skip(!saved, 'needs the run file of the first test');
  const run = saved as NonNullable<typeof saved>;
  await openLab(page, '#backend=wasm');
  await waitForPhase(page, 'ready', 120_000);
  await page.getByLabel('Open a run file').setInputFiles({ name: run.name, mimeType: 'application/octet-stream', buffer: run.bytes });
  const banner = page.getByRole('region', { name: 'Imported run' });
  await expect(banner).toContainText('Imported run file');
  await expect(banner).toContainText('It trained all its steps');
  expect(await readNumbers(page)).toEqual(run.numbers);
  for (const name of RUNS) {
    await expect(panel(page, name, 'Feature map').getByText('UMAP epoch 200 / 200')).toBeVisible({ timeout: 60_000 });
    // Per-step charts redraw at most every 250 ms (CurvesPanel's throttle): wait for that redraw, then count.
    await expect.poll(async () => drawnLines(await chartLines(panel(page, name, 'Curves'))).length).toBeGreaterThanOrEqual(5);
  }
  // The settings in the URL are the run's.
  expect(page.url()).toContain('classes=2');
  expect(page.url()).toContain('width=4');
});

/** Drop one file on the page, as a person drags it from the desktop. */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, base64 }) => {
      const raw = atob(base64);
      const data = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) data[i] = raw.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([data], name));
      return dt;
    },
    { name, base64: bytes.toString('base64') },
  );
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('main', type, { dataTransfer: transfer });
}

test('corrupted, truncated and foreign run files give one line; the page keeps its run', async ({ page }) => {
  test.skip(!saved, 'needs the run file of the first test');
  const run = saved as NonNullable<typeof saved>;
  await openLab(page, '#backend=wasm');
  await waitForPhase(page, 'ready', 120_000);
  await page.getByLabel('Open a run file').setInputFiles({ name: run.name, mimeType: 'application/octet-stream', buffer: run.bytes });
  await expect(page.getByRole('region', { name: 'Imported run' })).toBeVisible();
  const flipped = Buffer.from(run.bytes);
  flipped[Math.floor(flipped.length / 2)] ^= 0xff;
  const cases: { what: string; name: string; bytes: Buffer; expect: RegExp }[] = [
    { what: 'truncated', name: 'half.oplrun', bytes: run.bytes.subarray(0, Math.floor(run.bytes.length / 2)), expect: /half\.oplrun/ },
    { what: 'one byte flipped', name: 'flipped.oplrun', bytes: flipped, expect: /flipped\.oplrun/ },
    { what: 'a PNG renamed', name: 'picture.oplrun', bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), expect: /picture\.oplrun/ },
    { what: 'empty', name: 'empty.oplrun', bytes: Buffer.alloc(0), expect: /empty\.oplrun/ },
  ];
  const alert = page.locator('.run-files [role=alert]');
  for (const c of cases) {
    await dropFile(page, c.name, c.bytes);
    await expect(alert, c.what).toContainText(c.expect);
    await expect(alert, c.what).toContainText(/^Could not open [^\n]+$/);
    console.log(`${c.what}: ${await alert.textContent()}`);
    // The run shown before stays, numbers and all.
    await expect(page.getByRole('region', { name: 'Imported run' })).toBeVisible();
    expect(await readNumbers(page), c.what).toEqual(run.numbers);
  }
});

/** The command that makes the snapshot below, as a person would type it (minus the output path). */
const SNAPSHOT_ARGS = ['--data-dir', 'public/data/cifar10', '--loss', 'both', '--classes', '2', '--train-per-class', '16', '--test-per-class', '16', '--width', '4', '--batch', '8', '--lr', '0.05', '--gamma', '2', '--epochs', '2', '--seed', '1'];

test('a snapshot made by the CLI shows its trained panels at once, labelled with its command, before anything trains', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'snapshot-'));
  try {
    const file = join(dir, 'tiny.oplrun');
    execFileSync('npx', ['tsx', 'src/cli/train.ts', ...SNAPSHOT_ARGS, '--save-run', file], { stdio: 'pipe', timeout: 300_000 });
    const bytes = readFileSync(file);
    const run = decodeRunFile(new Uint8Array(bytes));
    const command = `npm run train -- ${SNAPSHOT_ARGS.join(' ')} --save-run tiny.oplrun`;
    // The site's snapshots folder, serving the file the CLI just wrote.
    await page.route('**/snapshots/index.json', (route) => route.fulfill({ json: { snapshots: [{ file: 'tiny.oplrun', title: 'Tiny', command }] } }));
    await page.route('**/snapshots/tiny.oplrun', (route) => route.fulfill({ body: bytes, contentType: 'application/octet-stream' }));
    await openLab(page, '#backend=wasm');
    await page.getByRole('button', { name: 'Show finished snapshot' }).click();
    const banner = page.getByRole('region', { name: 'Trained snapshot' });
    await expect(banner).toContainText(command);
    await expect(banner).toContainText('It trained all its steps');
    const last = run.history.evaluations[run.history.evaluations.length - 1];
    for (const [r, name] of RUNS.entries()) {
      const accuracy = panel(page, name, 'Numbers').locator('tbody tr', { hasText: 'Test accuracy' });
      await expect(accuracy).toContainText(`${Math.round(last.reports[r].accuracy * 100)}%`);
      await expect(panel(page, name, 'Feature map').getByText('UMAP epoch 200 / 200')).toBeVisible({ timeout: 60_000 });
    }
    await expect(statusLine(page)).toContainText(`step ${run.totalSteps} / ${run.totalSteps}`);
    // Its data is here (the same seeded subset of the prepared CIFAR-10), so hovering shows the test image.
    await expectThumbnailOnHover(page, CIFAR10_NAMES.slice(0, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the snapshot clicked while the page still measures its backends shows in full', async ({ page }) => {
  const run = decodeRunFile(new Uint8Array(readFileSync('public/snapshots/opening-gamma2.oplrun')));
  // No backend in the URL: on a software adapter the worker first measures each backend (many seconds).
  await openLab(page, '');
  await expect(statusLine(page)).toHaveAttribute('data-phase', /loading-data|selecting-backend/);
  await page.getByRole('button', { name: 'Show finished snapshot' }).click();
  const banner = page.getByRole('region', { name: 'Trained snapshot' });
  await expect(banner).toContainText('It trained all its steps', { timeout: 180_000 });
  await expect(statusLine(page)).toContainText(`step ${run.totalSteps} / ${run.totalSteps}`);
  const last = run.history.evaluations[run.history.evaluations.length - 1];
  for (const [r, name] of RUNS.entries()) {
    const accuracy = panel(page, name, 'Numbers').locator('tbody tr', { hasText: 'Test accuracy' });
    await expect(accuracy).toContainText(`${Math.round(last.reports[r].accuracy * 100)}%`);
  }
  // And it stays so once the measurement is over: nothing replaces it with a fresh session at step 0.
  await expect(page.getByLabel('Backend in use', { exact: true })).toContainText(/WebGPU|WebGL|WASM/, { timeout: 180_000 });
  await page.waitForTimeout(3000);
  await expect(statusLine(page)).toContainText(`step ${run.totalSteps} / ${run.totalSteps}`);
  await expect(banner).toContainText('It trained all its steps');
});

test('a run trained on data that is not here shows its panels without training', async ({ page }) => {
  // Train the Tiny preset on the user's own files (real CIFAR-10 with other class names), save it, and open it on a
  // fresh page that only has the prepared data.
  const dir = mkdtempSync(join(tmpdir(), 'own-run-'));
  const shared = resolve(process.cwd(), process.env.OPL_SHARED_DATA || '../shared/data', 'cifar10');
  mkdirSync(join(dir, 'own'));
  writeFileSync(join(dir, 'own', 'train.bin'), readFileSync(join(shared, 'train.bin')));
  writeFileSync(join(dir, 'own', 'test.bin'), readFileSync(join(shared, 'test.bin')));
  writeFileSync(join(dir, 'own', 'labels.txt'), 'plane\ncar\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n');
  try {
    await openLab(page, TINY_WASM);
    await waitForPhase(page, 'ready', 120_000);
    await page.getByLabel('Choose CIFAR files').setInputFiles(['train.bin', 'test.bin', 'labels.txt'].map((f) => join(dir, 'own', f)));
    await expect(page.getByText(/Using your files/)).toBeVisible({ timeout: 120_000 });
    await waitForPhase(page, 'ready', 120_000);
    await page.getByRole('button', { name: 'Train' }).click();
    await followRun(page, 'done', { timeout: 10 * 60_000 });
    const numbers = await readNumbers(page);
    const [[name, bytes]] = [...(await downloads(page, 1, () => exportButton(page, 'Save run (.oplrun)').click()))];

    const fresh = await page.context().newPage();
    await openLab(fresh, '#backend=wasm');
    await waitForPhase(fresh, 'ready', 120_000);
    await fresh.getByLabel('Open a run file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
    const banner = fresh.getByRole('region', { name: 'Imported run' });
    await expect(banner).toContainText('Shown without training: the data here is not the data it trained on');
    expect(await readNumbers(fresh)).toEqual(numbers);
    await expect(statusLine(fresh)).toContainText('plane, car');
    await expect(exportButton(fresh, 'Save run (.oplrun)')).toBeDisabled();
    await expect(panel(fresh, 'CE + OPL', 'Feature map').getByText('UMAP epoch 200 / 200')).toBeVisible({ timeout: 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shipped snapshot shows at once on a fresh page: its numbers, its command, and it can continue', async ({ page }) => {
  const run = decodeRunFile(new Uint8Array(readFileSync('public/snapshots/opening-gamma2.oplrun')));
  await openLab(page, '#backend=wasm');
  await page.getByRole('button', { name: 'Show finished snapshot' }).click();
  const banner = page.getByRole('region', { name: 'Trained snapshot' });
  await expect(banner).toContainText('--epochs 30 --save-run public/snapshots/opening-gamma2.oplrun');
  await expect(banner).toContainText('It trained all its steps');
  await expect(statusLine(page)).toContainText(`step ${run.totalSteps} / ${run.totalSteps}`);
  const last = run.history.evaluations[run.history.evaluations.length - 1];
  for (const [r, name] of RUNS.entries()) {
    const accuracy = panel(page, name, 'Numbers').locator('tbody tr', { hasText: 'Test accuracy' });
    await expect(accuracy).toContainText(`${Math.round(last.reports[r].accuracy * 100)}%`);
  }
  await expect(panel(page, 'CE + OPL', 'Feature map').getByText('UMAP epoch 200 / 200')).toBeVisible({ timeout: 120_000 });
  // The settings in the URL are the snapshot's (the opening preset, 30 epochs).
  expect(page.url()).toContain('epochs=30');
  await expect(page.getByText('Settings changed')).toHaveCount(0);
});
