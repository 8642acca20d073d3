// `npm run train`: headless training on the core. Trains CE, CE + OPL, or both side by side (paired: same
// init, same batches), shows a progress bar per run, prints a comparison table; can save the run (and resume it),
// export the models, the test features and the metrics, and stops with status 3 when a run diverges.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_TRAIN_CONFIG, pairedRuns, type RunSpec, type TrainConfig } from '../core/config';
import { NOISE_KINDS, type NoiseKind } from '../core/data/labelNoise';
import { selectSubset } from '../core/data/subset';
import { applyTrainingShift } from '../core/data/trainingShift';
import type { DatasetSplit, ImageDataset } from '../core/data/types';
import { PGD_DEFAULT_STEPS, type AttackOptions, type AttackResult } from '../core/eval/adversarial';
import { splitBaseNovel, type FewShotOptions, type FewShotResult } from '../core/eval/fewShot';
import { RUN_FILE_EXTENSION, type SavedEmbedding, type SavedRun } from '../core/io/runFile';
import type { LossSpec } from '../core/losses/objective';
import { createTrainer, type EvalReport, type Trainer } from '../core/trainer';
import { findNonFiniteRuns, TrainerStateError, type TrainerState } from '../core/trainerState';
import { loadDataDir } from './loadDataDir';
import { ExitError, formatHelp, listGivenOptions, parseOptions, runCli, UsageError, type OptionTable, type OptionValues } from './options';
import { createProgress } from './progress';
import { createHistoryRecorder } from './runHistory';
import {
  checkOutputFile, checkOutputFolder, nameRunFile, readRunFile, writeFeatureExports, writeHistoryCsv, writeModelExports, writeRunFile,
} from './runOutputs';
import { checkDataFits, describeSettings, EMBED_COUNT, planResume, type DataChoice } from './runSettings';
import { setupBackend } from './setupBackend';
import { attackRuns, describeAttack, runFewShotOnRuns, summariseAttack } from './trainEval';

const OPTIONS: OptionTable = {
  dataset: { kind: 'choice', choices: ['cifar10', 'cifar100'], default: 'cifar10', help: 'which data set' },
  'data-dir': { kind: 'string', meta: 'PATH', help: 'folder with train.bin and test.bin (default public/data/<dataset>, made by npm run data)' },
  classes: { kind: 'int', min: 2, max: 100, help: 'use the first N classes (default: all)' },
  'train-per-class': { kind: 'int', min: 1, help: 'training images per class (default: all available)' },
  'test-per-class': { kind: 'int', min: 1, help: 'test images per class (default: all available)' },
  model: { kind: 'choice', choices: ['resnet8', 'resnet14', 'resnet20'], default: DEFAULT_TRAIN_CONFIG.model, help: 'CIFAR ResNet depth' },
  width: { kind: 'int', min: 1, max: 256, default: DEFAULT_TRAIN_CONFIG.width, help: 'channels of the first stage (16 = reference 16/32/64)' },
  loss: { kind: 'choice', choices: ['ce', 'opl', 'both'], default: 'both', help: 'ce, CE + λ·OPL, or both side by side from the same init on the same batches' },
  gamma: { kind: 'number', min: 0, max: 100, default: 0.5, help: 'γ, weight of the different-class term in OPL' },
  lambda: { kind: 'number', min: 0, max: 100, default: 1, help: 'λ, weight of OPL in CE + λ·OPL' },
  'abs-negative': { kind: 'flag', help: 'average |cosine| over different-class pairs (paper equation) instead of the signed cosine' },
  epochs: { kind: 'int', min: 1, max: 10000, default: 10, help: 'passes over the training subset' },
  batch: { kind: 'int', min: 1, max: 4096, default: 64, help: 'images per step (reference: 128; 64 gives more steps on small subsets)' },
  lr: { kind: 'number', min: 0, max: 1e6, default: DEFAULT_TRAIN_CONFIG.lr, help: 'peak learning rate (1 epoch warm-up, ×0.2 at 30/60/80% of the run; a huge one makes a run diverge, stopping with status 3)' },
  seed: { kind: 'int', min: 0, max: 2 ** 31 - 1, default: 1, help: 'seed for subsets, init, batch order and augmentation' },
  backend: { kind: 'choice', choices: ['wasm', 'cpu'], default: 'wasm', help: 'tfjs backend (cpu is the slow reference)' },
  'label-noise': { kind: 'number', min: 0, max: 1, default: 0, meta: 'RATE', help: 'flip this fraction of the training labels (exactly round(RATE·n), seeded); test labels stay clean' },
  'noise-kind': { kind: 'choice', choices: NOISE_KINDS, default: 'symmetric', help: 'symmetric: to a uniformly chosen other class; pairflip: class c to c+1 mod K' },
  imbalance: { kind: 'number', min: 1, max: 1000, default: 1, meta: 'RATIO', help: 'long-tail training set: largest/smallest class count, n_c = n_max·RATIO^(−c/(K−1)) (1 = balanced)' },
  json: { kind: 'string', meta: 'PATH', help: 'write every logged metric and the final results as JSON' },
  'save-run': { kind: 'string', meta: 'FILE.oplrun', help: 'save the run (history, trainer state, 1000 test features) as one file, after every epoch and at the end' },
  resume: { kind: 'string', meta: 'FILE.oplrun', help: 'continue a saved run to --epochs (default: its own); its settings apply, the curves continue' },
  'export-model': { kind: 'string', meta: 'DIR', help: 'write each run\'s model as DIR/<run>/model.json + weights.bin (tf.loadLayersModel; raw 0..255 pixels in)' },
  'export-features': { kind: 'string', meta: 'DIR', help: 'write each run\'s test features as DIR/<run>/tensors.tsv + metadata.tsv (Embedding Projector)' },
  csv: { kind: 'string', meta: 'FILE', help: 'write every logged metric and evaluation as CSV' },
  'no-augment': { kind: 'flag', help: 'train without random crop and flip' },
  attack: { kind: 'choice', choices: ['fgsm', 'pgd'], help: 'after training, attack every run on a seeded sample of the test subset (FGSM, or PGD from a random start)' },
  epsilon: { kind: 'fraction', min: 0, max: 1, default: '8/255', help: 'attack radius (L∞, pixel units of [0, 1]), a number or a ratio like 8/255' },
  'attack-count': { kind: 'int', min: 1, default: 500, help: 'test images attacked (all of them when fewer)' },
  'attack-steps': { kind: 'int', min: 1, max: 1000, default: PGD_DEFAULT_STEPS, help: 'PGD steps, each of 2.5·ε/steps' },
  fewshot: { kind: 'ints', count: 2, min: 1, meta: 'WAYS,SHOTS', help: 'after training, N-way K-shot episodes on the novel classes (those after --base-classes) with frozen features' },
  'base-classes': { kind: 'int', min: 1, max: 99, help: 'with --fewshot: train on the first K classes, the rest are novel (default: half of the classes)' },
  episodes: { kind: 'int', min: 1, max: 100000, default: 600, help: 'few-shot episodes' },
  queries: { kind: 'int', min: 1, default: 15, help: 'few-shot query images per class and episode' },
  'fewshot-classifier': { kind: 'choice', choices: ['centroid', 'logistic'], default: 'centroid', help: 'nearest centroid on cosine, or logistic regression fitted on the support set' },
  help: { kind: 'flag', help: 'show this help' },
};

const USAGE = 'Usage: npm run train -- [options]\n\nTrains small CIFAR ResNets with cross-entropy (CE) and/or CE + λ·OPL on the wasm backend.';

/** Exit status of a run that diverged (a loss turned NaN or infinite). */
export const DIVERGED_EXIT = 3;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const o = parseOptions(argv, OPTIONS);
  if (o.help) {
    process.stdout.write(`${formatHelp(USAGE, OPTIONS)}\n`);
    return;
  }
  checkOutputs(o);
  const resumePath = o.resume as string | undefined;
  const saved = resumePath ? await readRunFile(resumePath) : null;
  const { config, choice } = saved ? planResume(saved, resumePath!, o, listGivenOptions(argv, OPTIONS)) : planFresh(o);
  const runs = config.runs;
  const backend = o.backend as 'wasm' | 'cpu';
  const dataDir = resolve((o['data-dir'] as string | undefined) ?? `public/data/${choice.dataset}`);

  const started = Date.now();
  await setupBackend(backend);
  const full = await loadDataDir(dataDir, { dataset: choice.dataset });
  const { data, novel, noise, classCounts } = prepareData(full, choice, o);
  const attackOptions = readAttackOptions(o);
  const fewShotOptions = readFewShotOptions(o, novel);
  if (saved) checkDataFits(saved, resumePath!, data);
  const trainer = createTrainerOrRefuse(config, data, saved?.state ?? undefined, resumePath);
  const startStep = saved?.state?.step ?? 0;
  if (startStep >= trainer.totalSteps) {
    trainer.dispose();
    throw new UsageError(`${resumePath} is already at step ${startStep} of ${trainer.totalSteps}; give a larger --epochs to continue it`);
  }
  const classes = data.train.classNames.length;
  process.stderr.write(
    `${choice.dataset}: ${classes} classes, ${data.train.count} train / ${data.test.count} test images from ${dataDir}\n` +
      `${config.model} width ${config.width} (${trainer.models[0].countParams().toLocaleString('en')} parameters), batch ${config.batchSize}, ` +
      `${config.epochs} epochs × ${trainer.stepsPerEpoch} steps, backend ${backend}, seed ${config.seed}\n` +
      (saved ? `resuming ${resumePath} from step ${startStep}\n` : '') +
      runs.map((r) => `  ${r.name}: ${describeLoss(r.loss)}`).join('\n') + '\n' +
      (noise.rate > 0 ? `label noise: ${noise.flipped} of ${data.train.count} training labels flipped (${noise.kind}, rate ${noise.rate})\n` : '') +
      (choice.imbalance !== 1 ? `long tail ρ ${choice.imbalance}: training images per class ${classCounts.join(' ')}\n` : '') +
      (novel ? `few-shot: novel classes ${novel.classNames.join(', ')} (${novel.count} images, train and test)\n` : ''),
  );

  const recorder = createHistoryRecorder(runs.length, saved?.history, startStep);
  const history = recorder.history;
  const savePath = o['save-run'] as string | undefined;
  const settings = saved ? { ...saved.settings, epochs: config.epochs } : describeSettings(config, data, choice, backend);
  const toSavedRun = (state: TrainerState | null, embedding: SavedEmbedding | null): SavedRun => ({
    format: 'opl-lab-run', version: 1, name: nameRunFile(savePath ?? 'run'), savedAt: new Date().toISOString(), settings, config,
    classNames: data.train.classNames, data: { dataset: choice.dataset, trainCount: data.train.count, testCount: data.test.count },
    totalSteps: trainer.totalSteps, history, state, embedding,
  });
  const progress = createProgress();
  const latestTest: (number | null)[] = runs.map(() => null);
  const draw = (step: number, epoch: number, force = false) =>
    progress.update(
      runs.map((r, i) => {
        const last = history.progress.at(-1)?.metrics[i];
        const test = latestTest[i] === null ? '' : ` test acc ${fmt(latestTest[i]!)}`;
        return {
          label: r.name,
          fraction: step / trainer.totalSteps,
          detail: `step ${step}/${trainer.totalSteps} epoch ${epoch + 1}/${config.epochs}` + (last ? ` loss ${fmt(last.total)} s ${fmt(last.s)} d ${fmt(last.d)}` : '') + test,
        };
      }),
      force,
    );

  let lastGood: TrainerState | null = saved?.state ?? null;
  const stopDiverged = async (run: number, step: number): Promise<never> => {
    progress.done();
    trainer.dispose();
    const kept: string[] = [];
    if (savePath) {
      await writeRunFile(savePath, toSavedRun(lastGood, null));
      kept.push(`${savePath} (${lastGood ? `last good checkpoint: step ${lastGood.step}` : 'metrics only'})`);
    }
    if (o.csv) {
      await writeHistoryCsv(o.csv as string, history, runs);
      kept.push(o.csv as string);
    }
    const saying = kept.length ? `; saved ${kept.join(' and ')}` : '';
    throw new ExitError(`run '${runs[run].name}' diverged at step ${step} (NaN or infinite loss or weights); try a lower --lr (now ${config.lr})${saying}`, DIVERGED_EXIT);
  };

  let final: EvalReport[] = [];
  for (;;) {
    const report = await trainer.step();
    recorder.addProgress(report);
    draw(report.step, report.epoch);
    if (report.nonFinite.length > 0) await stopDiverged(report.nonFinite[0], report.step);
    if (report.epochEnd || report.done) {
      final = await trainer.evaluate('test');
      recorder.addEvaluation(report.step, report.epoch, final);
      final.forEach((e, i) => (latestTest[i] = e.accuracy));
      draw(report.step, report.epoch, true);
      if (savePath || report.done) {
        const state = await trainer.captureState();
        const diverged = findNonFiniteRuns(state);
        if (diverged.length > 0) await stopDiverged(diverged[0], report.step);
        lastGood = state;
        if (savePath && !report.done) await writeRunFile(savePath, toSavedRun(state, null)); // a checkpoint per epoch
      }
    }
    if (report.done) break;
  }
  progress.done();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const attacks = attackOptions ? await attackRuns(trainer, data.test, attackOptions, log) : null;
  const fewShot = fewShotOptions && novel ? await runFewShotOnRuns(trainer, novel, fewShotOptions, log) : null;
  const minutes = (Date.now() - started) / 60000;
  const extra = [...(attacks ? attackRows(attacks, attackOptions!) : []), ...(fewShot ? fewShotRows(fewShot, fewShotOptions!) : [])];
  process.stdout.write(`\n${formatTable(final, extra)}\n\n${formatPerClass(final, data.train.classNames, classCounts)}\n`);
  if (noise.rate > 0) process.stdout.write(`\n${noise.flipped} of ${data.train.count} training labels flipped (${noise.kind}, rate ${noise.rate}); test labels are clean\n`);
  process.stdout.write(`\n${minutes.toFixed(1)} min on ${backend}; chance accuracy is ${fmt(1 / classes)}` +
    (fewShot ? `, ${fmt(1 / fewShotOptions!.ways)} for ${fewShotOptions!.ways}-way few-shot` : '') + '\n');

  const embedding = savePath || o['export-features'] ? { step: trainer.totalSteps, ...(await trainer.embed(EMBED_COUNT)) } : null;
  const wrote: string[] = [];
  if (savePath) {
    await writeRunFile(savePath, toSavedRun(lastGood, embedding));
    wrote.push(savePath);
  }
  if (o['export-model']) wrote.push(...(await writeModelExports(o['export-model'] as string, runs, trainer.models, { classNames: data.train.classNames, stats: trainer.stats })));
  if (o['export-features']) wrote.push(...(await writeFeatureExports(o['export-features'] as string, runs, embedding!, data.train.classNames)));
  if (o.csv) {
    await writeHistoryCsv(o.csv as string, history, runs);
    wrote.push(o.csv as string);
  }
  if (o.json) {
    const out = {
      command: `npm run train -- ${argv.join(' ')}`,
      dataset: choice.dataset,
      dataDir,
      classNames: data.train.classNames,
      ...(novel ? { novelClassNames: novel.classNames, novelCount: novel.count } : {}),
      trainCount: data.train.count,
      testCount: data.test.count,
      backend,
      labelNoise: noise,
      imbalance: { ratio: choice.imbalance, classCounts },
      config,
      minutes,
      runs: runs.map((r, i) => ({
        name: r.name,
        loss: r.loss,
        steps: history.progress.map((p) => ({ step: p.step, epoch: p.epoch, lr: p.lr, ...p.metrics[i] })),
        epochs: history.evaluations.map((e) => ({
          epoch: e.epoch + 1,
          trainAccuracy: e.trainAccuracy[i],
          testAccuracy: e.reports[i].accuracy,
          meanSameClassCos: e.reports[i].meanSameClassCos,
          meanDiffClassCos: e.reports[i].meanDiffClassCos,
          classMeanOffDiagCos: e.reports[i].classMeanOffDiagCos,
        })),
        final: {
          testAccuracy: final[i].accuracy,
          meanSameClassCos: final[i].meanSameClassCos,
          meanDiffClassCos: final[i].meanDiffClassCos,
          classMeanOffDiagCos: final[i].classMeanOffDiagCos,
          perClassAccuracy: final[i].perClassAccuracy,
          confusion: final[i].confusion,
          classMeanCos: final[i].classMeanCos,
          ...(attacks ? { attack: summariseAttack(attacks[i]) } : {}),
          ...(fewShot ? { fewShot: { ...fewShotOptions, ...fewShot[i] } } : {}),
        },
      })),
    };
    await writeFile(resolve(o.json as string), JSON.stringify(out, null, 1));
    wrote.push(o.json as string);
  }
  if (wrote.length > 0) process.stderr.write(`wrote ${wrote.join(', ')}\n`);
  trainer.dispose();
}

/** Refuse unusable output paths before any training, so a long run is never lost at the end. */
function checkOutputs(o: OptionValues): void {
  if (o['save-run']) checkOutputFile('save-run', o['save-run'] as string, RUN_FILE_EXTENSION);
  if (o.resume && !(o.resume as string).endsWith(RUN_FILE_EXTENSION)) throw new UsageError(`--resume must name a ${RUN_FILE_EXTENSION} file (got '${o.resume}')`);
  if (o.csv) checkOutputFile('csv', o.csv as string);
  if (o.json) checkOutputFile('json', o.json as string);
  if (o['export-model']) checkOutputFolder('export-model', o['export-model'] as string);
  if (o['export-features']) checkOutputFolder('export-features', o['export-features'] as string);
}

/** The config and data of a new run, from the options. */
function planFresh(o: OptionValues): { config: TrainConfig; choice: DataChoice } {
  const loss: LossSpec = { kind: 'opl', gamma: o.gamma as number, lambda: o.lambda as number, absNegative: Boolean(o['abs-negative']) };
  const runs: RunSpec[] = o.loss === 'both' ? pairedRuns(loss) : o.loss === 'ce' ? [pairedRuns(loss)[0]] : [pairedRuns(loss)[1]];
  const config: TrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    model: o.model as TrainConfig['model'],
    width: o.width as number,
    batchSize: o.batch as number,
    epochs: o.epochs as number,
    lr: o.lr as number,
    seed: o.seed as number,
    augment: !o['no-augment'],
    runs,
  };
  const choice: DataChoice = {
    dataset: o.dataset as DataChoice['dataset'],
    classes: o.classes as number | undefined,
    trainPerClass: o['train-per-class'] as number | undefined,
    testPerClass: o['test-per-class'] as number | undefined,
    seed: o.seed as number,
    labelNoise: o['label-noise'] as number,
    noiseKind: o['noise-kind'] as NoiseKind,
    imbalance: o.imbalance as number,
  };
  return { config, choice };
}

/** A trainer, resumed from `state` when given; a state that does not fit is a one-line UsageError. */
function createTrainerOrRefuse(config: TrainConfig, data: DatasetSplit, state: TrainerState | undefined, path: string | undefined): Trainer {
  try {
    return createTrainer(config, data, { resumeFrom: state });
  } catch (err) {
    if (err instanceof TrainerStateError) throw new UsageError(`${path}: ${err.message}`);
    throw err;
  }
}

/** What --label-noise did: flipped is the count of training labels that differ from the clean ones. */
interface NoiseReport {
  rate: number;
  kind: NoiseKind;
  flipped: number;
  flippedPerClass: number[];
}

/**
 * Cut the loaded split to the chosen classes and images per class. Both subsets use the run's seed, as the page
 * does, so a run file's test-feature indices mean the same images in the CLI and in the page. With --fewshot the
 * first --base-classes of those classes are trained on (per-class cuts apply to them) and every image of the
 * others, train and test, is the novel set. Then the training split only gets the long tail and the label noise,
 * in that order, each seeded from the run's seed.
 */
function prepareData(
  full: DatasetSplit,
  choice: DataChoice,
  o: OptionValues,
): { data: DatasetSplit; novel: ImageDataset | null; noise: NoiseReport; classCounts: number[] } {
  const available = full.train.classNames.length;
  const { classes, seed } = choice;
  if (classes !== undefined && classes > available) throw new UsageError(`--classes must be at most ${available} for this data (got ${classes})`);
  const cut = (split: DatasetSplit, keep: number | undefined) => ({
    train: selectSubset(split.train, { classes: keep, perClass: choice.trainPerClass, seed }),
    test: selectSubset(split.test, { classes: keep, perClass: choice.testPerClass, seed }),
  });
  try {
    let data: DatasetSplit;
    let novel: ImageDataset | null = null;
    if (!o.fewshot) {
      if (o['base-classes'] !== undefined) throw new UsageError('--base-classes needs --fewshot WAYS,SHOTS');
      data = cut(full, classes);
    } else {
      if (o.resume) throw new UsageError('--fewshot cannot be given with --resume (the saved run trained on all its classes)');
      const total = classes ?? available;
      const base = (o['base-classes'] as number | undefined) ?? Math.floor(total / 2);
      if (base >= total) throw new UsageError(`--base-classes must be below the number of classes (${total}) so that some are novel (got ${base})`);
      const kept = classes === undefined ? full : { train: selectSubset(full.train, { classes, seed }), test: selectSubset(full.test, { classes, seed }) };
      const split = splitBaseNovel(kept, base);
      data = cut(split.base, undefined);
      novel = split.novel;
    }
    const { labelNoise: rate, noiseKind: kind, imbalance } = choice;
    const shifted = applyTrainingShift(data.train, { imbalance, labelNoise: rate, noiseKind: kind }, seed);
    const { classCounts, flipped, flippedPerClass } = shifted.report;
    return { data: { train: shifted.dataset, test: data.test }, novel, noise: { rate, kind, flipped, flippedPerClass }, classCounts };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** Per-class test accuracy, one row per class with its (clean) training count, one column per run. */
function formatPerClass(results: EvalReport[], classNames: string[], trainCounts: number[]): string {
  const head = ['class', 'train n', ...results.map((r) => r.name)];
  const body = classNames.map((name, c) => [name, String(trainCounts[c]), ...results.map((r) => fmt(r.perClassAccuracy[c]))]);
  const widths = head.map((_, c) => Math.max(...[head, ...body].map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return ['per-class test accuracy', line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The --attack settings, or null without --attack. */
function readAttackOptions(o: Record<string, unknown>): AttackOptions | null {
  if (!o.attack) return null;
  const method = o.attack as AttackOptions['method'];
  return { method, epsilon: o.epsilon as number, count: o['attack-count'] as number, seed: o.seed as number, ...(method === 'pgd' ? { steps: o['attack-steps'] as number } : {}) };
}

/** The --fewshot settings, or null without it; checks up front that the novel classes can serve the episodes. */
function readFewShotOptions(o: Record<string, unknown>, novel: ImageDataset | null): FewShotOptions | null {
  if (!o.fewshot || !novel) return null;
  const [ways, shots] = o.fewshot as number[];
  const queries = o.queries as number;
  if (ways < 2 || ways > novel.classNames.length) {
    throw new UsageError(`--fewshot: ways must be in 2..${novel.classNames.length} (the novel classes: ${novel.classNames.join(', ')}), got ${ways}`);
  }
  const smallest = Math.min(...novel.classNames.map((_, c) => novel.labels.filter((l) => l === c).length));
  if (shots + queries > smallest) throw new UsageError(`--fewshot: ${shots} shots + ${queries} queries exceed the ${smallest} images of the smallest novel class`);
  return { ways, shots, queries, episodes: o.episodes as number, seed: o.seed as number, classifier: o['fewshot-classifier'] as FewShotOptions['classifier'] };
}

/** Table rows for the attack: clean accuracy on the attacked images, then accuracy under attack. */
function attackRows(results: AttackResult[], options: AttackOptions): string[][] {
  return [
    [`clean accuracy (${results[0].count} attacked images)`, ...results.map((r) => fmt(r.cleanAccuracy))],
    [`accuracy under ${describeAttack(options)}`, ...results.map((r) => fmt(r.adversarialAccuracy))],
  ];
}

/** Table row for few-shot: mean ± 95% interval per run. */
function fewShotRows(results: FewShotResult[], options: FewShotOptions): string[][] {
  return [[`${options.ways}-way ${options.shots}-shot (${options.classifier}, ${options.episodes} episodes)`, ...results.map((r) => `${fmt(r.meanAccuracy)} ± ${fmt(r.ci95)}`)]];
}

function describeLoss(loss: LossSpec): string {
  const opl = `OPL with γ ${loss.gamma}, ${loss.absNegative ? 'absolute' : 'signed'} d`;
  return loss.kind === 'ce' ? `cross-entropy only (${opl} logged, not trained)` : `CE + ${loss.lambda}·OPL (${opl})`;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : String(x);
}

/** The final comparison: one row per metric, one column per run; `extra` rows are already formatted. */
function formatTable(results: EvalReport[], extra: string[][] = []): string {
  const rows: [string, (e: EvalReport) => number][] = [
    ['test accuracy', (e) => e.accuracy],
    ['same-class cosine (test)', (e) => e.meanSameClassCos],
    ['different-class cosine (test)', (e) => e.meanDiffClassCos],
    ['class-mean off-diagonal cosine', (e) => e.classMeanOffDiagCos],
  ];
  const head = ['metric', ...results.map((r) => r.name)];
  const body = [...rows.map(([name, get]) => [name, ...results.map((r) => fmt(get(r)))]), ...extra];
  const widths = head.map((_, c) => Math.max(...[head, ...body].map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

runCli(main);
