// The data catalog widened by the user's own data sets: a dropped set replaces the prepared one of its format
// and bounds the data settings by its own class count and smallest class.
import type { DataCatalog } from './settings';
import type { TrainerView } from './trainerView';

/** The prepared catalog with each dropped data set's limits in place of its format's entry. */
export function addDroppedData(prepared: DataCatalog, dropped: TrainerView['dropped']): DataCatalog {
  const catalog: DataCatalog = { ...prepared };
  for (const info of Object.values(dropped ?? {})) {
    if (!info) continue;
    catalog[info.dataset] = { classes: info.classNames.length, trainPerClass: info.perClass.train, testPerClass: info.perClass.test };
  }
  return catalog;
}
