// CIFAR ResNet-(6n+2) (He et al. 2016, as in the OPL reference's CIFAR code): a 3x3 stem, three stages of
// n basic blocks at widths w/2w/4w (stride 2 entering stages 2 and 3, 1x1 conv + BN shortcut where the
// shape changes), global average pooling → features, one linear layer → logits. NHWC, weights as variables.
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining, type BatchNormExtras } from '../ops/batchNormTraining';
import type { Rng } from '../rng';

export type ModelName = 'resnet8' | 'resnet14' | 'resnet20';
/** Blocks per stage of each depth: ResNet-8 n=1, ResNet-14 n=2, ResNet-20 n=3. */
export const BLOCKS_PER_STAGE: Record<ModelName, number> = { resnet8: 1, resnet14: 2, resnet20: 3 };

export interface ResNetConfig {
  model: ModelName;
  /** Channels of the first stage; 16 gives the reference's 16/32/64. */
  width: number;
  numClasses: number;
}

/** Outputs of a forward pass, owned by the caller. */
export interface ResNetOutput {
  /** [B, 4·width] the pooled feature vector after the last ReLU: OPL acts here. */
  features: tf.Tensor2D;
  /** [B, numClasses] */
  logits: tf.Tensor2D;
}

export interface ResNet {
  readonly config: ResNetConfig;
  /** Trainable variables, in a fixed order. */
  readonly params: tf.Variable[];
  /** A readable name per trainable variable, e.g. "stage2.block0.conv1". */
  readonly paramNames: string[];
  /** BatchNorm running means and variances (not trainable). */
  readonly buffers: tf.Variable[];
  /** A readable name per buffer, e.g. "stem.bn.runningMean". */
  readonly bufferNames: string[];
  readonly featureDim: number;
  /**
   * Forward pass on a [B, 32, 32, 3] batch. With training = true, BatchNorm uses batch statistics and
   * updates its running averages as a side effect; otherwise it uses the running averages.
   */
  apply(images: tf.Tensor4D, training: boolean): ResNetOutput;
  /** Number of trainable scalars. */
  countParams(): number;
  dispose(): void;
}

/** BatchNorm epsilon, as in PyTorch. */
export const BN_EPSILON = 1e-5;
const BN_MOMENTUM = 0.1; // PyTorch's convention: running ← (1 − m)·running + m·batch

interface BatchNorm {
  gamma: tf.Variable;
  beta: tf.Variable;
  runningMean: tf.Variable;
  runningVar: tf.Variable;
}

interface Block {
  conv1: tf.Variable;
  bn1: BatchNorm;
  conv2: tf.Variable;
  bn2: BatchNorm;
  stride: number;
  shortcut?: { conv: tf.Variable; bn: BatchNorm };
}

/** Wrap a fresh tensor in a variable and release the tensor (tf.variable keeps its own reference). */
export function toVariable(value: tf.Tensor, trainable: boolean): tf.Variable {
  const v = tf.variable(value, trainable);
  value.dispose();
  return v;
}

/**
 * Build a CIFAR ResNet with weights drawn from `rng` (Kaiming-normal convolutions and classifier,
 * BN γ = 1, β = 0, zero biases). The same seed gives the same weights on every backend.
 */
export function buildResNet(config: ResNetConfig, rng: Rng): ResNet {
  const params: tf.Variable[] = [];
  const paramNames: string[] = [];
  const buffers: tf.Variable[] = [];
  const bufferNames: string[] = [];

  const addParam = (name: string, value: tf.Tensor): tf.Variable => {
    const v = toVariable(value, true);
    params.push(v);
    paramNames.push(name);
    return v;
  };
  const kaiming = (shape: number[], fanIn: number): tf.Tensor => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    const std = Math.sqrt(2 / fanIn);
    for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
    return tf.tensor(values, shape);
  };
  const conv = (name: string, k: number, cin: number, cout: number) => addParam(name, kaiming([k, k, cin, cout], k * k * cin));
  const batchNorm = (name: string, channels: number): BatchNorm => {
    const bn = {
      gamma: addParam(`${name}.gamma`, tf.ones([channels])),
      beta: addParam(`${name}.beta`, tf.zeros([channels])),
      runningMean: toVariable(tf.zeros([channels]), false),
      runningVar: toVariable(tf.ones([channels]), false),
    };
    buffers.push(bn.runningMean, bn.runningVar);
    bufferNames.push(`${name}.runningMean`, `${name}.runningVar`);
    return bn;
  };

  const w = config.width;
  const stemConv = conv('stem.conv', 3, 3, w);
  const stemBn = batchNorm('stem.bn', w);
  const blocks: Block[] = [];
  let channels = w;
  const n = BLOCKS_PER_STAGE[config.model];
  for (let stage = 0; stage < 3; stage++) {
    const out = w * 2 ** stage;
    for (let b = 0; b < n; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const name = `stage${stage + 1}.block${b}`;
      const block: Block = {
        conv1: conv(`${name}.conv1`, 3, channels, out),
        bn1: batchNorm(`${name}.bn1`, out),
        conv2: conv(`${name}.conv2`, 3, out, out),
        bn2: batchNorm(`${name}.bn2`, out),
        stride,
      };
      if (stride !== 1 || channels !== out) {
        block.shortcut = { conv: conv(`${name}.shortcut.conv`, 1, channels, out), bn: batchNorm(`${name}.shortcut.bn`, out) };
      }
      blocks.push(block);
      channels = out;
    }
  }
  const fcWeight = addParam('fc.weight', kaiming([channels, config.numClasses], channels));
  const fcBias = addParam('fc.bias', tf.zeros([config.numClasses]));

  /**
   * act(BN(x) + residual): batch statistics when training (updating the running averages as a side
   * effect), running averages otherwise. act is ReLU when relu is set.
   */
  const applyBatchNorm = (x: tf.Tensor4D, bn: BatchNorm, training: boolean, extras: BatchNormExtras = {}): tf.Tensor4D => {
    if (!training) {
      let y: tf.Tensor4D = tf.batchNorm4d(x, bn.runningMean as tf.Tensor1D, bn.runningVar as tf.Tensor1D, bn.beta as tf.Tensor1D, bn.gamma as tf.Tensor1D, BN_EPSILON);
      if (extras.residual) y = tf.add(y, extras.residual);
      return extras.relu ? tf.relu(y) : y;
    }
    // Statistics, normalisation, residual, ReLU and their gradient in one fused op (see ops/batchNormTraining.ts).
    const { y, mean, variance } = batchNormTraining(x, bn.gamma as tf.Tensor1D, bn.beta as tf.Tensor1D, BN_EPSILON, extras);
    // Running averages use the unbiased variance, as PyTorch does; assign() is not on the gradient path.
    const count = x.shape[0] * x.shape[1] * x.shape[2];
    const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
    bn.runningMean.assign(tf.add(tf.mul(bn.runningMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
    bn.runningVar.assign(tf.add(tf.mul(bn.runningVar, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
    return y;
  };

  const applyBlock = (x: tf.Tensor4D, block: Block, training: boolean): tf.Tensor4D => {
    const y = applyBatchNorm(tf.conv2d(x, block.conv1 as tf.Tensor4D, block.stride, 'same'), block.bn1, training, { relu: true });
    const skip = block.shortcut
      ? applyBatchNorm(tf.conv2d(x, block.shortcut.conv as tf.Tensor4D, block.stride, 'same'), block.shortcut.bn, training)
      : x;
    // relu(BN2(conv2(y)) + skip)
    return applyBatchNorm(tf.conv2d(y, block.conv2 as tf.Tensor4D, 1, 'same'), block.bn2, training, { residual: skip, relu: true });
  };

  return {
    config,
    params,
    paramNames,
    buffers,
    bufferNames,
    featureDim: channels,
    apply(images, training) {
      return tf.tidy(() => {
        let x = applyBatchNorm(tf.conv2d(images, stemConv as tf.Tensor4D, 1, 'same'), stemBn, training, { relu: true });
        for (const block of blocks) x = applyBlock(x, block, training);
        const features = tf.mean(x, [1, 2]) as tf.Tensor2D;
        const logits = tf.add(tf.matMul(features, fcWeight), fcBias) as tf.Tensor2D;
        return { features, logits };
      });
    },
    countParams: () => params.reduce((sum, p) => sum + p.size, 0),
    dispose() {
      params.forEach((p) => p.dispose());
      buffers.forEach((b) => b.dispose());
    },
  };
}
