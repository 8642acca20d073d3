// Helpers for the specs that drive the real page (index.html) the way a person does: through its buttons,
// labelled fields and panels, found by their accessible names. Reads canvases back to check they drew.
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import type { Phase } from '../../src/worker/protocol';

export const CIFAR10_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** Open the built page with `hash` (settings in the URL) and wait for the lab to show. */
export async function openLab(page: Page, hash: string): Promise<void> {
  page.on('console', (msg) => {
    // The specs' own canvas read-backs draw a hint about willReadFrequently; it says nothing about the page.
    if (/willReadFrequently/.test(msg.text())) return;
    if (msg.type() === 'error' || msg.type() === 'warning') console.log(`[browser ${msg.type()}] ${msg.text()}`);
  });
  page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
  const response = await page.goto(`/${hash}`);
  expect(response?.status(), 'the page is missing: build with `vite build --mode e2e` (npm run test:e2e does)').toBe(200);
  await expect(page.getByRole('heading', { name: 'OPL Lab', level: 1 })).toBeVisible({ timeout: 30_000 });
}

/** The status line (phase, steps, speed). */
export const statusLine = (page: Page): Locator => page.locator('[role=status][data-phase]');

export async function waitForPhase(page: Page, phase: Phase, timeout = 5 * 60_000): Promise<void> {
  await expect(statusLine(page)).toHaveAttribute('data-phase', phase, { timeout });
}

/** The panel of one run, e.g. panel(page, 'CE + OPL', 'Feature map'). */
export const panel = (page: Page, run: string, title: string): Locator => page.getByRole('region', { name: `${run}: ${title}`, exact: true });

/**
 * Poll the status line until the phase is `until` (or an error shows), collecting the steps per second it
 * shows with each new step and calling `at` once for each step number first seen (to act mid-run). Polls
 * every 200 ms, so quick steps are skipped.
 */
export async function followRun(
  page: Page,
  until: Phase,
  options: { timeout?: number; at?: (step: number) => Promise<void> } = {},
): Promise<{ stepsPerSecond: number[] }> {
  const { timeout = 5 * 60_000, at } = options;
  const rates: number[] = [];
  const seen = new Set<number>();
  const deadline = Date.now() + timeout;
  for (;;) {
    const phase = await statusLine(page).getAttribute('data-phase');
    const text = (await statusLine(page).textContent()) ?? '';
    const step = /step (\d+) \//.exec(text);
    if (step && !seen.has(Number(step[1]))) {
      seen.add(Number(step[1]));
      // The rate shown with a new step: one reading per step.
      const rate = /([\d.]+) steps\/s/.exec(text);
      if (rate && Number(rate[1]) > 0) rates.push(Number(rate[1]));
      await at?.(Number(step[1]));
    }
    if (phase === until) return { stepsPerSecond: rates };
    // A CSS query: getByRole computes ARIA roles over the whole page, itself a long task on a busy page.
    const alert = page.locator('[role=alert]');
    if (phase === 'failed' || (await alert.count()) > 0) throw new Error(`training failed: ${await alert.allTextContents()}`);
    if (Date.now() > deadline) throw new Error(`still ${phase} after ${timeout} ms: ${text}`);
    await page.waitForTimeout(200);
  }
}

/** Pixels of a canvas that differ from its background (transparent; the page clears before drawing). */
export async function countDrawnPixels(canvas: Locator): Promise<{ drawn: number; total: number; colours: number }> {
  return canvas.evaluate((node) => {
    const c = node as HTMLCanvasElement;
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    if (!data) return { drawn: 0, total: 0, colours: 0 };
    let drawn = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      drawn++;
      if (colours.size < 64) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    return { drawn, total: data.length / 4, colours: colours.size };
  });
}

/** Expect a canvas to have drawn a real picture: a share of its pixels, in more than one colour. */
export async function expectDrawn(canvas: Locator, what: string, minShare = 0.01): Promise<void> {
  const { drawn, total, colours } = await countDrawnPixels(canvas);
  expect(total, `${what}: canvas has no pixels`).toBeGreaterThan(0);
  expect(drawn / total, `${what}: ${drawn} of ${total} pixels drawn`).toBeGreaterThan(minShare);
  expect(colours, `${what}: colours`).toBeGreaterThan(1);
}

/** One series of a canvas line chart: the points its legend says it has, and its colour's pixels on the canvas. */
export interface ChartLine {
  series: string;
  points: number;
  pixels: number;
}

/**
 * The series of every canvas line chart (figure.chart) that is or is inside `root`, each with its point count and
 * the canvas pixels in its colour (anti-aliased edges included): a line is drawn when both are real.
 */
export async function chartLines(root: Locator): Promise<ChartLine[]> {
  const perFigure = await root.evaluate((element) =>
    (element.matches('figure.chart') ? [element] : Array.from(element.querySelectorAll('figure.chart'))).map((figure) => {
      const canvas = figure.querySelector('canvas') as HTMLCanvasElement;
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
      return Array.from(figure.querySelectorAll<HTMLElement>('.chart-legend li')).map((item) => {
        const hex = item.dataset.color ?? '';
        const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
        let pixels = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] < 128) continue;
          if (Math.abs(data[i] - rgb[0]) <= 12 && Math.abs(data[i + 1] - rgb[1]) <= 12 && Math.abs(data[i + 2] - rgb[2]) <= 12) pixels++;
        }
        return { series: item.dataset.series ?? '', points: Number(item.dataset.points), pixels };
      });
    }),
  );
  return perFigure.flat();
}

/** The lines among `lines` that join at least two points and show on their canvas. */
export const drawnLines = (lines: ChartLine[]): ChartLine[] => lines.filter((l) => l.points >= 2 && l.pixels >= 10);

/** The `d` attributes of the SVG paths matching `selector` inside `root` that draw at least two points. */
export async function pathsWithData(root: Locator, selector: string): Promise<string[]> {
  const all = await root.locator(selector).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('d') ?? ''));
  // A path through n points has n - 1 segments after its M.
  return all.filter((d) => (d.match(/[LCHV]/g) ?? []).length >= 1 && !/NaN/.test(d));
}

/**
 * Record main-thread long tasks (> 50 ms) from the page's start, in `window.longTasks`.
 * Call before the page opens (it is an init script).
 */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const tasks: Array<{ start: number; duration: number }> = [];
    (window as unknown as { longTasks: typeof tasks }).longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Page time now (performance.now(), ms), to bound a window of long tasks. */
export const readPageTime = (page: Page): Promise<number> => page.evaluate(() => performance.now());

/** Long tasks that started in [since, until) (page time, ms), and the window's length in seconds. */
export async function readLongTasks(page: Page, since: number, until: number): Promise<{ count: number; longest: number; total: number; seconds: number }> {
  return page.evaluate(
    ([from, to]) => {
      const all = (window as unknown as { longTasks: Array<{ start: number; duration: number }> }).longTasks;
      const tasks = all.filter((t) => t.start >= from && t.start < to);
      const longest = Math.max(0, ...tasks.map((t) => t.duration));
      return { count: tasks.length, longest, total: tasks.reduce((s, t) => s + t.duration, 0), seconds: (to - from) / 1000 };
    },
    [since, until],
  );
}

/** One line on a window's long tasks, for the test log. */
export function describeLongTasks(long: { count: number; longest: number; total: number; seconds: number }): string {
  return `${long.count} main-thread long tasks in ${long.seconds.toFixed(1)} s; longest ${Math.round(long.longest)} ms, ${Math.round(long.total)} ms in all`;
}

/** Save a full-page screenshot among the test's kept outputs (test-results/<test>/<name>.png). */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** Hover a point of the CE feature map: the card shows the test image the worker sent and its class. */
export async function expectThumbnailOnHover(page: Page, classNames: string[]): Promise<void> {
  const canvas = panel(page, 'CE', 'Feature map').locator('canvas.feature-map');
  const point = await canvas.evaluate((node) => {
    const c = node as HTMLCanvasElement;
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    const rect = c.getBoundingClientRect();
    if (!data) return null;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] < 200) continue;
      const px = (i / 4) % c.width;
      const py = Math.floor(i / 4 / c.width);
      // A couple of pixels in from the point's top edge, near its centre.
      return { x: ((px + 0.5) * rect.width) / c.width, y: ((py + 3) * rect.height) / c.height };
    }
    return null;
  });
  expect(point, 'a drawn point on the feature map').not.toBeNull();
  await canvas.hover({ position: point! });
  const card = page.getByRole('tooltip');
  await expect(card).toBeVisible();
  const thumbnail = card.getByRole('img', { name: /^Test image: / });
  await expect(thumbnail).toHaveAccessibleName(new RegExp(`^Test image: (${classNames.join('|')})$`));
  // A photograph: most pixels drawn, many colours.
  const { drawn, total, colours } = await countDrawnPixels(thumbnail);
  expect(drawn).toBe(total);
  expect(colours).toBeGreaterThan(20);
  await page.mouse.move(0, 0);
}
