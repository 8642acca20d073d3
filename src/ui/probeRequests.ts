// The worker requests behind the Robustness and Few-shot panels' Run buttons, built from the settings table's
// probe rows (ε is set in 1/255 steps and sent in pixel units) and the few sizes the page fixes.
import type { AttackRequest, FewShotRequest, LabSettings } from '../worker/protocol';

/** Query images per class in every few-shot episode (the usual 15). */
export const FEW_SHOT_QUERIES = 15;
/** At most this many images of each novel class are embedded: enough for any episode, quick on WASM. */
export const NOVEL_POOL_PER_CLASS = 300;

/** The Robustness panel's request: the chosen attack, ε converted from 1/255 steps to pixel units, the image count. */
export function buildAttackRequest(settings: LabSettings): AttackRequest {
  return { method: settings.attackMethod, epsilon: settings.attackEpsilon / 255, count: settings.attackCount };
}

/** The Few-shot panel's request: N-way K-shot, episodes and classifier from the settings, queries and pool fixed above. */
export function buildFewShotRequest(settings: LabSettings): FewShotRequest {
  return {
    ways: settings.fewShotWays,
    shots: settings.fewShotShots,
    queries: FEW_SHOT_QUERIES,
    episodes: settings.fewShotEpisodes,
    classifier: settings.fewShotClassifier,
    poolPerClass: NOVEL_POOL_PER_CLASS,
  };
}
