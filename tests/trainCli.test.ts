// `npm run train` as a user runs it (a child process): --help documents every option, bad input exits 2 with
// one line and no stack trace, and a tiny paired run on the real CIFAR-10 subset writes the promised JSON.
// Saving, resuming, exporting and diverging are in trainCliRuns.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');
const tempRoot = mkdtempSync(join(tmpdir(), 'opl-traincli-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

function runTrain(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const OPTIONS = ['dataset', 'data-dir', 'classes', 'train-per-class', 'test-per-class', 'model', 'width', 'loss', 'gamma', 'lambda',
  'abs-negative', 'epochs', 'batch', 'lr', 'seed', 'backend', 'json', 'save-run', 'resume', 'export-model', 'export-features', 'csv', 'help',
  'attack', 'epsilon', 'attack-count', 'attack-steps',
  'fewshot', 'base-classes', 'episodes', 'queries', 'fewshot-classifier',
  'label-noise', 'noise-kind', 'imbalance'];

describe('train command', () => {
  it('--help documents every option', () => {
    const r = runTrain(['--help']);
    expect(r.code).toBe(0);
    for (const name of OPTIONS) expect(r.stdout).toContain(`--${name}`);
  });

  it.each([
    [['--loss', 'mse'], /^error: --loss must be one of ce, opl, both \(got 'mse'\)$/],
    [['--gamma', 'abc'], /^error: --gamma must be a number \(got 'abc'\)$/],
    [['--epochs', '0'], /^error: --epochs must be at least 1 \(got 0\)$/],
    [['--batch', '3.5'], /^error: --batch must be a whole number \(got '3.5'\)$/],
    [['--nope'], /^error: unknown option --nope/],
    [['--seed'], /^error: --seed needs a value$/],
    [['--save-run', 'run.txt'], /^error: --save-run must name a \.oplrun file \(got 'run\.txt'\)$/],
    [['--save-run', 'no/such/folder/run.oplrun'], /^error: --save-run: the folder .*no\/such\/folder does not exist$/],
    [['--export-model', 'no/such/folder/models'], /^error: --export-model: the folder .*no\/such\/folder does not exist$/],
    [['--resume', 'missing.oplrun'], /^error: cannot read missing\.oplrun: no such file$/],
    [['--resume', 'run.json'], /^error: --resume must name a \.oplrun file/],
    [['--label-noise', '1.5'], /^error: --label-noise must be at most 1 \(got 1.5\)$/],
    [['--noise-kind', 'flip'], /^error: --noise-kind must be one of symmetric, pairflip \(got 'flip'\)$/],
    [['--imbalance', '0.5'], /^error: --imbalance must be at least 1 \(got 0.5\)$/],
    [['--attack', 'cw'], /^error: --attack must be one of fgsm, pgd \(got 'cw'\)$/],
    [['--epsilon', '8/0'], /^error: --epsilon must be a number or a ratio like 8\/255 \(got '8\/0'\)$/],
    [['--epsilon', '2'], /^error: --epsilon must be at most 1 \(got 2\)$/],
    [['--fewshot', '5'], /^error: --fewshot must be 2 comma-separated whole numbers \(WAYS,SHOTS\) \(got '5'\)$/],
    [['--fewshot', '5,0'], /^error: --fewshot: each number must be at least 1 \(got 5,0\)$/],
  ])('rejects %j with status 2 and one line', (args, pattern) => {
    const r = runTrain(args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });

  it('a missing data folder is one clear line, status 1', () => {
    const r = runTrain(['--data-dir', join(tempRoot, 'nothing-here'), '--epochs', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^error: .*npm run data/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  cifar10.it('checks few-shot sizes against the novel classes before training', () => {
    const common = ['--data-dir', cifar10.dir, '--classes', '4', '--train-per-class', '8', '--width', '4', '--epochs', '1'];
    const cases: [string[], RegExp][] = [
      [['--base-classes', '2'], /^error: --base-classes needs --fewshot WAYS,SHOTS$/],
      [['--fewshot', '3,1', '--base-classes', '2'], /^error: --fewshot: ways must be in 2\.\.2 \(the novel classes: bird, cat\), got 3$/],
      [['--fewshot', '2,1', '--base-classes', '4'], /^error: --base-classes must be below the number of classes \(4\)/],
      [['--fewshot', '2,1200', '--base-classes', '2'], /^error: --fewshot: 1200 shots \+ 15 queries exceed the 1200 images of the smallest novel class$/],
    ];
    for (const [args, pattern] of cases) {
      const r = runTrain([...common, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(pattern);
    }
  });

  cifar10.it('attacks both runs and runs few-shot episodes on the novel classes, in the table and the JSON', () => {
    const json = join(tempRoot, 'probes.json');
    const r = runTrain(['--data-dir', cifar10.dir, '--classes', '4', '--train-per-class', '16', '--test-per-class', '10',
      '--width', '4', '--batch', '8', '--epochs', '2', '--attack', 'pgd', '--epsilon', '8/255', '--attack-count', '15', '--attack-steps', '3',
      '--fewshot', '2,3', '--base-classes', '2', '--episodes', '30', '--queries', '4', '--fewshot-classifier', 'logistic', '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/accuracy under PGD \(3 steps\) ε 8\/255\s+\d\.\d{3}\s+\d\.\d{3}/);
    expect(r.stdout).toMatch(/2-way 3-shot \(logistic, 30 episodes\)\s+\d\.\d{3} ± \d\.\d{3}\s+\d\.\d{3} ± \d\.\d{3}/);
    expect(r.stderr).toMatch(/CE \+ OPL: PGD \(3 steps\) ε 8\/255 on 15 test images/);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.classNames).toEqual(['airplane', 'automobile']); // trained on the base classes only
    expect(out.novelClassNames).toEqual(['bird', 'cat']);
    expect(out.novelCount).toBe(2 * 1200);
    for (const run of out.runs) {
      const { attack, fewShot } = run.final;
      expect(attack).toMatchObject({ method: 'pgd', count: 15 });
      expect(attack.epsilon).toBeCloseTo(8 / 255, 12);
      expect(attack.maxPerturbation).toBeLessThanOrEqual(8 / 255 + 1e-6);
      expect(attack.adversarialLoss).toBeGreaterThan(attack.cleanLoss);
      expect(attack.examples.length).toBeGreaterThan(0);
      expect(attack.examples[0].perturbed).toBeUndefined();
      expect(fewShot).toMatchObject({ ways: 2, shots: 3, queries: 4, episodes: 30, classifier: 'logistic' });
      expect(fewShot.accuracies).toHaveLength(30);
      expect(fewShot.meanAccuracy).toBeGreaterThanOrEqual(0);
      expect(fewShot.meanAccuracy).toBeLessThanOrEqual(1);
      expect(fewShot.ci95).toBeGreaterThan(0);
    }
    // the same images are attacked for both runs
    expect(out.runs[0].final.attack.examples.map((e: { index: number }) => e.index)).toEqual(out.runs[1].final.attack.examples.map((e: { index: number }) => e.index));
  });

  cifar10.it('trains CE and CE + OPL on real data and writes every metric and the final results', () => {
    const json = join(tempRoot, 'run.json');
    const r = runTrain(['--data-dir', cifar10.dir, '--classes', '2', '--train-per-class', '16', '--test-per-class', '10',
      '--width', '4', '--batch', '8', '--epochs', '2', '--gamma', '2', '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/test accuracy/);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.runs.map((x: { name: string }) => x.name)).toEqual(['CE', 'CE + OPL']);
    expect(out.classNames).toEqual(['airplane', 'automobile']);
    for (const run of out.runs) {
      expect(run.steps).toHaveLength(8); // 2 epochs × 32/8 steps, logged every step
      expect(run.epochs).toHaveLength(2);
      for (const key of ['testAccuracy', 'meanSameClassCos', 'meanDiffClassCos', 'classMeanOffDiagCos']) {
        expect(Number.isFinite(run.final[key])).toBe(true);
      }
      expect(run.final.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(20);
      expect(Number.isFinite(run.steps[7].total)).toBe(true);
    }
    expect(out.runs[1].loss).toEqual({ kind: 'opl', gamma: 2, lambda: 1, absNegative: false });
    // paired: the first step's CE is the same batch through the same weights
    expect(out.runs[0].steps[0].ce).toBeCloseTo(out.runs[1].steps[0].ce, 5);
  });

  cifar10.it('applies a long tail and pair-flip noise to the training labels and reports flips and per-class accuracy', () => {
    const json = join(tempRoot, 'noisy.json');
    const r = runTrain(['--data-dir', cifar10.dir, '--classes', '3', '--train-per-class', '20', '--test-per-class', '10',
      '--width', '4', '--batch', '8', '--epochs', '1', '--imbalance', '4', '--label-noise', '0.5', '--noise-kind', 'pairflip', '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.imbalance.classCounts).toEqual([20, 10, 5]); // 20·4^(−c/2)
    expect(out.trainCount).toBe(35);
    expect(out.labelNoise).toMatchObject({ rate: 0.5, kind: 'pairflip', flipped: 18 }); // round(0.5·35)
    expect(out.labelNoise.flippedPerClass.reduce((a: number, b: number) => a + b, 0)).toBe(18);
    expect(r.stdout).toContain('18 of 35 training labels flipped (pairflip, rate 0.5)');
    expect(r.stdout).toMatch(/per-class test accuracy\nclass\s+train n\s+CE\s+CE \+ OPL/);
    expect(r.stdout).toMatch(/automobile\s+10\s/);
    for (const run of out.runs) {
      expect(run.final.perClassAccuracy).toHaveLength(3);
      expect(run.final.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(30); // test set stays whole and clean-sized
    }
  });
});
