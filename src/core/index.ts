// The public surface of the training core: the loss, the model, the trainer, data and metrics.
// Framework-free: runs in Node (CLI, tests) and in the browser (worker). Hosts choose the tfjs backend.
export { orthogonalProjectionLoss, OPL_DEFAULT_GAMMA, type OplOptions, type OplResult } from './losses/opl';
export { softmaxCrossEntropy } from './losses/crossEntropy';
export { computeObjective, type LossSpec, type ObjectiveParts } from './losses/objective';
export { buildResNet, BLOCKS_PER_STAGE, type ModelName, type ResNet, type ResNetConfig } from './models/resnet';
export { createTrainer, type Trainer, type StepReport, type StepMetrics, type EvalReport, type Embedding, type CreateTrainerOptions } from './trainer';
export { TrainerStateError, findNonFiniteRuns, type TrainerState, type TensorRecord, type PendingMetrics } from './trainerState';
export { DEFAULT_TRAIN_CONFIG, DEFAULT_OPL, pairedRuns, type TrainConfig, type RunSpec } from './config';
export { computeLearningRate, REFERENCE_DECAY_AT, type LrSchedule } from './schedule';
export { createSgd, type Sgd } from './optim/sgd';
export { createRng, shuffleInPlace, hashString, type Rng } from './rng';
export { argmaxRows, computeClassification, computeSimilarity, type ClassificationMetrics, type SimilarityMetrics } from './metrics';
export { assembleBatch, createBatchSampler, gatherImages, gatherLabels, CROP_PADDING, type BatchSampler, type ChannelStats } from './data/batches';
export * from './data/types';
export { encodeRunFile, decodeRunFile, RunFileError, RUN_FILE_EXTENSION, DEFAULT_MAX_RUN_FILE_BYTES, type SavedRun, type RunHistory, type SavedEmbedding } from './io/runFile';
export { exportLayersModel, toProjectorTsv, historyToCsv, HISTORY_CSV_COLUMNS, WEIGHTS_FILE, type LayersModelExport } from './io/exports';
export { extractFeatures, FEATURE_BATCH, type FeatureOptions } from './eval/features';
export { attackModel, perturbPixels, classifyPixels, computePixelLosses, PGD_DEFAULT_STEPS, type AttackMethod, type AttackOptions, type AttackResult, type AttackExample, type PerturbOptions } from './eval/adversarial';
export { runFewShot, splitBaseNovel, type FewShotClassifier, type FewShotOptions, type FewShotResult } from './eval/fewShot';
