// Exports on the real page after a real (tiny, WASM) run: every panel as a PNG that holds the picture, each a
// real download (Playwright's download event), decoded and checked in Node.
import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { serializeSettings } from '../../src/ui/settings';
import { TINY } from './support';
import { followRun, openLab, panel, waitForPhase } from './lab';

const RUNS = ['CE', 'CE + OPL'];
const TINY_WASM = `#${serializeSettings({ ...TINY, backend: 'wasm' })}`;
const PANELS = ['Curves', 'Class similarity', 'Sample similarity', 'Feature map', 'Cosine histogram'];

/** Click and return the download it starts, with its bytes. */
async function download(page: Page, click: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [got] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await got.path();
  return { download: got, bytes: readFileSync(path) };
}

/** Train the Tiny preset to the end and wait for both feature maps to settle. */
async function trainTiny(page: Page): Promise<void> {
  await openLab(page, TINY_WASM);
  await waitForPhase(page, 'ready', 120_000);
  await page.getByRole('button', { name: 'Train' }).click();
  await followRun(page, 'done', { timeout: 10 * 60_000 });
  for (const run of RUNS) await expect(panel(page, run, 'Feature map').getByText('UMAP epoch 200 / 200')).toBeVisible({ timeout: 60_000 });
}

test('each panel of each run saves as a PNG that holds its picture', async ({ page }, testInfo) => {
  await trainTiny(page);
  for (const run of RUNS) {
    for (const title of PANELS) {
      const { download: got, bytes } = await download(page, () => page.getByRole('button', { name: `Save ${run} · ${title} as PNG` }).click());
      expect(got.suggestedFilename()).toMatch(/^ce(-opl)?-[a-z-]+\.png$/);
      await got.saveAs(testInfo.outputPath(got.suggestedFilename())); // kept with the test's outputs
      const png = PNG.sync.read(bytes);
      expect(png.width, `${run} ${title}: width`).toBeGreaterThan(100);
      let ink = 0;
      const colours = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4) {
        const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
        if (r < 235 || g < 235 || b < 235) ink++;
        if (colours.size < 64) colours.add((r << 16) | (g << 8) | b);
      }
      // Beyond the title: charts and maps put real ink on the page, in several colours.
      expect(ink / (png.width * png.height), `${run} ${title}: share of inked pixels`).toBeGreaterThan(0.01);
      expect(colours.size, `${run} ${title}: colours`).toBeGreaterThan(4);
    }
  }
});
