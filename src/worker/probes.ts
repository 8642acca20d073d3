// The Robustness and Few-shot panels' analyses, run by the worker on a session's current models between steps:
// an FGSM/PGD attack on a seeded sample of the test subset, and N-way K-shot episodes on the frozen features of
// the prepared data set's classes the session did not train on. Builds messages; the worker posts them.
import { gatherImages } from '../core/data/batches';
import { selectSubset } from '../core/data/subset';
import type { ImageDataset } from '../core/data/types';
import { attackModel } from '../core/eval/adversarial';
import { extractFeatures } from '../core/eval/features';
import { runFewShot, splitBaseNovel } from '../core/eval/fewShot';
import type { LoadedDataset } from './loadData';
import type { AttackRequest, FewShotRequest, FromTrainer } from './protocol';
import type { Session } from './session';

type AttackMessage = Extract<FromTrainer, { type: 'attackResult' }>;
type FewShotMessage = Extract<FromTrainer, { type: 'fewShotResult' }>;
/** Reports a probe's progress: what it is doing and the fraction done (0..1). */
export type ProbeProgress = (detail: string, fraction: number) => void;

/** Attack every run's model on the same seeded images (the session's seed), each result with its examples' clean pixels. */
export async function runAttackProbe(s: Session, id: number, request: AttackRequest, progress: ProbeProgress): Promise<AttackMessage> {
  checkAttackRequest(request);
  const { trainer, split } = s;
  const runs = trainer.config.runs;
  const results: AttackMessage['results'] = [];
  for (let r = 0; r < runs.length; r++) {
    const result = await attackModel(trainer.models[r], split.test, trainer.stats, {
      ...request,
      seed: s.settings.seed,
      onProgress: (done, total) => progress(`${runs[r].name}: ${request.method.toUpperCase()} on ${done} / ${total} test images`, (r + done / total) / runs.length),
    });
    const examples = result.examples.map((e) => ({ ...e, clean: gatherImages(split.test, [e.index]) }));
    results.push({ ...result, examples });
  }
  return { type: 'attackResult', id, step: s.step, runNames: runs.map((r) => r.name), results };
}

/**
 * The novel set of a session: every image of the prepared data set's classes after the first `classes` (the ones
 * the session trains on), at most `poolPerClass` of each (seeded). @throws Error with a one-line reason when
 * there is none.
 */
export function selectNovelImages(data: LoadedDataset, s: Pick<Session, 'settings'>, poolPerClass: number): ImageDataset {
  const all = data.split.train.classNames.length;
  const trained = s.settings.classes;
  if (trained >= all) {
    throw new Error(`few-shot needs classes the session did not train on, and it trains on all ${all} classes of ${s.settings.dataset}: choose fewer classes and train again`);
  }
  const { novel } = splitBaseNovel(data.split, trained);
  const counts = novel.classNames.map((_, c) => novel.labels.reduce((n, l) => n + (l === c ? 1 : 0), 0));
  return selectSubset(novel, { perClass: Math.min(poolPerClass, ...counts), seed: s.settings.seed });
}

/** Embed the novel images with every run's model, then run the same seeded episodes on each. */
export async function runFewShotProbe(s: Session, id: number, data: LoadedDataset, request: FewShotRequest, progress: ProbeProgress): Promise<FewShotMessage> {
  const novel = selectNovelImages(data, s, request.poolPerClass);
  const novelClasses = novel.classNames.length;
  if (request.ways > novelClasses) {
    throw new Error(`${request.ways}-way episodes need ${request.ways} novel classes; training on ${s.settings.classes} of ${s.settings.classes + novelClasses} classes leaves ${novelClasses}`);
  }
  const perClass = novel.count / novelClasses;
  if (request.shots + request.queries > perClass) {
    throw new Error(`${request.shots} shots + ${request.queries} queries need ${request.shots + request.queries} images per novel class; ${perClass} are used`);
  }
  const { trainer } = s;
  const runs = trainer.config.runs;
  const results = [];
  for (let r = 0; r < runs.length; r++) {
    const model = trainer.models[r];
    const features = await extractFeatures(model, novel, trainer.stats, {
      onProgress: (done, total) => progress(`${runs[r].name}: features of ${done} / ${total} novel-class images`, (r + (0.9 * done) / total) / runs.length),
    });
    progress(`${runs[r].name}: ${request.episodes} episodes`, (r + 0.9) / runs.length);
    results.push(runFewShot(features, model.featureDim, novel.labels, { ...request, seed: s.settings.seed }));
  }
  return { type: 'fewShotResult', id, step: s.step, runNames: runs.map((r) => r.name), novelClassNames: novel.classNames, novelCount: novel.count, request, results };
}

function checkAttackRequest(request: AttackRequest): void {
  if (!(request.epsilon >= 0 && request.epsilon <= 1)) throw new Error(`attack ε must be in [0, 1] pixel units, got ${request.epsilon}`);
  if (!Number.isInteger(request.count) || request.count < 1) throw new Error(`attack image count must be a whole number ≥ 1, got ${request.count}`);
}
