// Export of a trained ResNet in the TensorFlow.js LayersModel format (model.json + weights.bin), loadable by
// tf.loadLayersModel: the same architecture rebuilt with tf.layers, in eval mode (BN on running statistics),
// with the per-channel normalisation as its first layer so the exported model takes raw 0..255 RGB pixels.
import * as tf from '@tensorflow/tfjs';
import type { ChannelStats } from '../data/subset';
import { IMAGE_CHANNELS, IMAGE_SIZE } from '../data/types';
import { BLOCKS_PER_STAGE, BN_EPSILON, type ResNet } from '../models/resnet';

/** What a LayersModel export is made of: model.json's content and the bytes of weights.bin. */
export interface LayersModelExport {
  /** model.json: modelTopology, format, weightsManifest (paths ['weights.bin']) and userDefinedMetadata. */
  modelJson: object;
  /** weights.bin. */
  weightData: ArrayBuffer;
}

/** File name of the weights in the manifest. */
export const WEIGHTS_FILE = 'weights.bin';

/**
 * Build the LayersModel twin of `model` and serialise it. The exported model maps [B, 32, 32, 3] raw pixels
 * (0..255, HWC) to [B, numClasses] logits equal (to float32 rounding) to `model.apply(normalised, false)`.
 * userDefinedMetadata holds classNames, stats and a line describing the input. Reads `model`'s variables, changes
 * nothing; every tensor it creates is disposed before it returns.
 */
export async function exportLayersModel(model: ResNet, meta: { classNames: string[]; stats: ChannelStats }): Promise<LayersModelExport> {
  const { model: depth, width, numClasses } = model.config;
  if (meta.classNames.length !== numClasses) throw new RangeError(`exportLayersModel: ${meta.classNames.length} class names for ${numClasses} classes`);
  const named = new Map<string, tf.Variable>();
  model.params.forEach((p, i) => named.set(model.paramNames[i], p));
  model.buffers.forEach((b, i) => named.set(model.bufferNames[i], b));
  const variable = (name: string): tf.Variable => {
    const v = named.get(name);
    if (!v) throw new Error(`exportLayersModel: the model has no variable "${name}"`);
    return v;
  };
  const layerName = (name: string) => name.replace(/\./g, '_');
  const assignments: [tf.layers.Layer, tf.Tensor[]][] = [];

  const conv = (x: tf.SymbolicTensor, name: string, filters: number, kernel: number, stride: number) => {
    const layer = tf.layers.conv2d({ name: layerName(name), filters, kernelSize: kernel, strides: stride, padding: 'same', useBias: false });
    assignments.push([layer, [variable(name)]]);
    return layer.apply(x) as tf.SymbolicTensor;
  };
  const batchNorm = (x: tf.SymbolicTensor, name: string) => {
    const layer = tf.layers.batchNormalization({ name: layerName(name), axis: -1, epsilon: BN_EPSILON });
    assignments.push([layer, ['gamma', 'beta', 'runningMean', 'runningVar'].map((k) => variable(`${name}.${k}`))]);
    return layer.apply(x) as tf.SymbolicTensor;
  };
  const relu = (x: tf.SymbolicTensor, name: string) => tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: [IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS], name: 'pixels' });
  // (x − 255·mean) / (255·std) as a frozen batch norm with a negligible epsilon.
  const normalise = tf.layers.batchNormalization({ name: 'normalise', axis: -1, epsilon: 1e-12 });
  const scaled = normalise.apply(input) as tf.SymbolicTensor;
  const normaliseWeights = [
    tf.ones([IMAGE_CHANNELS]),
    tf.zeros([IMAGE_CHANNELS]),
    tf.tensor1d(meta.stats.mean.map((m) => 255 * m)),
    tf.tensor1d(meta.stats.std.map((s) => (255 * s) ** 2)),
  ];
  assignments.push([normalise, normaliseWeights]);

  let x = relu(batchNorm(conv(scaled, 'stem.conv', width, 3, 1), 'stem.bn'), 'stem_relu');
  let channels = width;
  for (let stage = 0; stage < 3; stage++) {
    const out = width * 2 ** stage;
    for (let b = 0; b < BLOCKS_PER_STAGE[depth]; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const name = `stage${stage + 1}.block${b}`;
      const y = relu(batchNorm(conv(x, `${name}.conv1`, out, 3, stride), `${name}.bn1`), `${layerName(name)}_relu1`);
      const main = batchNorm(conv(y, `${name}.conv2`, out, 3, 1), `${name}.bn2`);
      const skip = stride !== 1 || channels !== out ? batchNorm(conv(x, `${name}.shortcut.conv`, out, 1, stride), `${name}.shortcut.bn`) : x;
      const sum = tf.layers.add({ name: `${layerName(name)}_add` }).apply([main, skip]) as tf.SymbolicTensor;
      x = relu(sum, `${layerName(name)}_relu2`);
      channels = out;
    }
  }
  const features = tf.layers.globalAveragePooling2d({ name: 'features' }).apply(x) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ name: 'fc', units: numClasses });
  assignments.push([dense, [variable('fc.weight'), variable('fc.bias')]]);
  const logits = dense.apply(features) as tf.SymbolicTensor;

  const layersModel = tf.model({ inputs: input, outputs: logits, name: `opl_lab_${depth}_w${width}` });
  try {
    for (const [layer, weights] of assignments) layer.setWeights(weights);
    layersModel.setUserDefinedMetadata({
      classNames: [...meta.classNames],
      stats: { mean: [...meta.stats.mean], std: [...meta.stats.std] },
      input: 'raw RGB pixels 0..255, [batch, 32, 32, 3] (HWC); the model normalises them itself; outputs are logits',
    });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await layersModel.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    if (!artifacts?.weightSpecs || !artifacts.weightData) throw new Error('exportLayersModel: tfjs returned no weights');
    const weightData = Array.isArray(artifacts.weightData) ? tf.io.concatenateArrayBuffers(artifacts.weightData) : artifacts.weightData;
    const modelJson = {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
      userDefinedMetadata: artifacts.userDefinedMetadata,
    };
    return { modelJson, weightData };
  } finally {
    layersModel.dispose();
    tf.dispose(normaliseWeights);
  }
}
