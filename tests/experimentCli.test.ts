// `npm run experiment` end to end on real CIFAR-10 with --quick: the report's results table parses (a mean ± std
// per metric per run), the paired CE rows agree across presets, and the plot is a PNG that decodes and has ink.
// Also the pieces: mean/std, argument overrides, tick placement, bad input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { computeTicks } from '../src/cli/experiment/plot';
import { mergeTrainArgs } from '../src/cli/experiment/presets';
import { computeMeanStd } from '../src/cli/experiment/summarise';
import { REPO_ROOT, requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');
const tempRoot = mkdtempSync(join(tmpdir(), 'opl-experiment-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

function runExperiment(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/experiment.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The rows of the first Markdown table after `heading`: header cells and body rows. */
function parseTable(markdown: string, heading: string): { head: string[]; rows: string[][] } {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  const table = lines.slice(start + 1).filter((l, i, all) => l.startsWith('|') && all.slice(0, i).every((p) => p.startsWith('|') || p.trim() === ''));
  const cells = (line: string) => line.slice(1, -1).split('|').map((c) => c.trim());
  return { head: cells(table[0]), rows: table.slice(2).map(cells) };
}

describe('experiment runner pieces', () => {
  it('mean and sample std', () => {
    expect(computeMeanStd([1, 2, 3])).toEqual({ mean: 2, std: 1 });
    expect(computeMeanStd([0.5])).toEqual({ mean: 0.5, std: 0 });
  });

  it('overrides replace values in place and append new options', () => {
    expect(mergeTrainArgs(['--a', '1', '--flag', '--b', '2'], ['--b', '3', '--c', '4'])).toEqual(['--a', '1', '--flag', '--b', '3', '--c', '4']);
  });

  it('ticks are round and cover the range', () => {
    expect(computeTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(computeTicks(-0.1, 0.6)).toEqual([0, 0.2, 0.4, 0.6]);
    expect(computeTicks(0.31, 0.47)).toEqual([0.35, 0.4, 0.45]); // step 0.05: the smallest of 1, 2, 5 × 10^k ≥ span / 5
  });

  it('an unknown or missing preset is one line, status 2', () => {
    for (const args of [['nope'], []]) {
      const r = runExperiment(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: .*clean, gamma-sweep, noise40/);
    }
  });
});

cifar10.describe('npm run experiment on real data', () => {
  it('runs the noise40 preset with --quick and writes a parsable report and a decodable PNG', () => {
    const out = join(tempRoot, 'noise40');
    const r = runExperiment(['noise40', '--quick', '--seeds', '2', '--data-dir', cifar10.dir, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[noise40 2\/2: γ 0\.5, seed 2\] .*step \d+\/12/); // progress names the job, seed and step
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    const { head, rows } = parseTable(report, '## Results');
    expect(head).toEqual(['run', 'test accuracy', 'same-class cos', 'different-class cos', 'class-mean off-diagonal cos']);
    expect(rows.map((row) => row[0])).toEqual(['CE', 'CE + OPL']);
    for (const row of rows) {
      for (const cell of row.slice(1)) {
        const m = cell.match(/^(-?\d+\.\d{3}) ± (\d+\.\d{3})$/);
        expect(m, cell).not.toBeNull();
        expect(Math.abs(Number(m![1]))).toBeLessThanOrEqual(1);
      }
    }
    expect(report).toMatch(/- Seeds: 1, 2/);
    expect(report).toMatch(/- Training labels flipped per seed: 19, 19 of 48/); // round(0.4 · 3 · 16)
    expect(report).toContain('--label-noise 0.4 --noise-kind symmetric --gamma 0.5 --seed 2');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const acc = results.results.map((x: { runs: { final: { testAccuracy: number } }[] }) => x.runs[0].final.testAccuracy);
    expect(rows[0][1]).toBe(`${((acc[0] + acc[1]) / 2).toFixed(3)} ± ${computeMeanStd(acc).std.toFixed(3)}`);

    const png = PNG.sync.read(readFileSync(join(out, 'plot.png')));
    expect(png.width).toBeGreaterThan(300);
    expect(png.height).toBeGreaterThan(200);
    const count = (rgb: number[]) => {
      let n = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === rgb[0] && png.data[i + 1] === rgb[1] && png.data[i + 2] === rgb[2]) n++;
      return n;
    };
    expect(count([31, 119, 180])).toBeGreaterThan(50); // CE series
    expect(count([214, 39, 40])).toBeGreaterThan(50); // CE + OPL series
    expect(count([30, 30, 30])).toBeGreaterThan(500); // axes and text
  });
});
