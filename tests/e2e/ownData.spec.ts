// The user's own data on the real page: real CIFAR-10 files from ../shared/data, cut into the official batch
// layout with their own class names, chosen with the file picker and as a .tar.gz, train like the prepared set;
// a truncated file dropped on the page gives one line and the data in use stays.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { serializeSettings } from '../../src/ui/settings';
import { TINY } from './support';
import { followRun, openLab, statusLine, waitForPhase } from './lab';

// Playwright runs from the repository root; the shared data sits beside it, as for the unit tests.
const SHARED = resolve(process.cwd(), process.env.OPL_SHARED_DATA || '../shared/data', 'cifar10');
const OWN_NAMES = ['plane', 'car', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const RECORD = 3073;
const TINY_WASM = `#${serializeSettings({ ...TINY, backend: 'wasm' })}`;

let dir: string;

test.beforeAll(() => {
  if (!existsSync(SHARED)) {
    if (process.env.CI === 'true') throw new Error(`shared data missing at ${SHARED}`);
    test.skip(true, `shared data missing at ${SHARED}`);
  }
  dir = mkdtempSync(join(tmpdir(), 'own-data-'));
  const release = join(dir, 'cifar-10-batches-bin');
  mkdirSync(release);
  // The first 2,000 training records in five official-style batches, and the real test file.
  const train = readFileSync(join(SHARED, 'train.bin'));
  for (let n = 1; n <= 5; n++) writeFileSync(join(release, `data_batch_${n}.bin`), train.subarray((n - 1) * 400 * RECORD, n * 400 * RECORD));
  writeFileSync(join(release, 'test_batch.bin'), readFileSync(join(SHARED, 'test.bin')));
  writeFileSync(join(release, 'batches.meta.txt'), `${OWN_NAMES.join('\n')}\n`);
  execFileSync('tar', ['-czf', join(dir, 'cifar-10-binary.tar.gz'), '-C', dir, 'cifar-10-batches-bin']);
});
test.afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

const dataLine = (page: Page) => statusLine(page).locator('.data-line');

/** Wait until the page uses the own files and has a fresh session on them. */
async function expectOwnDataInUse(page: Page): Promise<void> {
  await expect(page.getByText(/Using your files .*2,000 training \/ 2,000 test images, 10 classes/)).toBeVisible({ timeout: 120_000 });
  await waitForPhase(page, 'ready', 120_000);
  await expect(dataLine(page)).toContainText('plane, car');
}

test('real CIFAR-10 batches chosen with the file picker train like the prepared set', async ({ page }) => {
  await openLab(page, TINY_WASM);
  await waitForPhase(page, 'ready', 120_000);
  await expect(dataLine(page)).toContainText('airplane, automobile');
  const release = join(dir, 'cifar-10-batches-bin');
  await page.getByLabel('Choose CIFAR files').setInputFiles(['1', '2', '3', '4', '5'].map((n) => join(release, `data_batch_${n}.bin`)).concat(join(release, 'test_batch.bin'), join(release, 'batches.meta.txt')));
  await expectOwnDataInUse(page);
  await page.getByRole('button', { name: 'Train' }).click();
  await followRun(page, 'done', { timeout: 10 * 60_000 });
  await expect(dataLine(page)).toContainText('plane, car');
  await expect(page.getByRole('region', { name: 'CE: Numbers', exact: true }).locator('tbody td').first()).toHaveText(/\d/);
});

test('a .tar.gz of the release is gunzipped and read in the worker', async ({ page }) => {
  await openLab(page, TINY_WASM);
  await waitForPhase(page, 'ready', 120_000);
  await page.getByLabel('Choose CIFAR files').setInputFiles(join(dir, 'cifar-10-binary.tar.gz'));
  await expectOwnDataInUse(page);
});

/** Drop files on the page as a person would: a real drag-and-drop of File objects built from the bytes. */
async function dropFiles(page: Page, files: { name: string; bytes: Buffer }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, base64: f.bytes.toString('base64') }));
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const raw = atob(f.base64);
      const bytes = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      dt.items.add(new File([bytes], f.name));
    }
    return dt;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('main', type, { dataTransfer: transfer });
}

test('a truncated or foreign file dropped on the page gives one line; the data in use stays', async ({ page }) => {
  await openLab(page, TINY_WASM);
  await waitForPhase(page, 'ready', 120_000);
  const train = readFileSync(join(SHARED, 'train.bin')).subarray(0, 50 * RECORD);
  const truncated = readFileSync(join(SHARED, 'test.bin')).subarray(0, 10 * RECORD + 100);
  await dropFiles(page, [{ name: 'train.bin', bytes: Buffer.from(train) }, { name: 'test.bin', bytes: Buffer.from(truncated) }]);
  const alert = page.locator('.files-failed');
  await expect(alert).toContainText(/test\.bin: file is 30830 bytes: not a multiple of the 3073-byte CIFAR-10 record/);
  await expect(alert).toContainText('The data in use is unchanged');

  const gz = readFileSync(join(dir, 'cifar-10-binary.tar.gz'));
  await dropFiles(page, [{ name: 'cifar-10-binary.tar.gz', bytes: Buffer.from(gz.subarray(0, 200_000)) }]);
  await expect(alert).toContainText(/cifar-10-binary\.tar\.gz is a truncated or corrupted gzip file/);

  await dropFiles(page, [{ name: 'notes.txt', bytes: Buffer.from('not pictures at all') }]);
  await expect(alert).toContainText(/not a CIFAR data set \(got notes\.txt\)/);

  // The page still trains on the prepared data.
  await expect(dataLine(page)).toContainText('airplane, automobile');
  await page.getByRole('button', { name: 'Step' }).click();
  await waitForPhase(page, 'paused', 120_000);
  await expect(statusLine(page)).toContainText('step 1 /');
});
