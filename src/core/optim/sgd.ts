// SGD with momentum and weight decay, with PyTorch's semantics (decay added to the gradient, the momentum
// buffer starting at the first gradient): g ← ∇ + wd·p; v ← μ·v + g; p ← p − lr·v.
import * as tf from '@tensorflow/tfjs';
import { toVariable } from '../models/resnet';

export interface Sgd {
  /** Apply one update in place. grads[i] belongs to params[i]; grads are not disposed here. */
  apply(grads: tf.Tensor[], lr: number): void;
  /** The momentum buffers, one per param in the same order and shape (owned by the optimiser). */
  readonly velocity: readonly tf.Variable[];
  /** Whether a step has been applied (before that, the next gradient becomes the buffer as it is). */
  readonly started: boolean;
  /** Mark the buffers as holding a history (after restoring them) or not. */
  setStarted(started: boolean): void;
  /** Free the momentum buffers. */
  dispose(): void;
}

/** Create an optimiser for a fixed list of trainable variables. */
export function createSgd(params: tf.Variable[], momentum: number, weightDecay: number): Sgd {
  const velocity = params.map((p) => toVariable(tf.zerosLike(p), false));
  let started = false;
  return {
    apply(grads, lr) {
      tf.tidy(() => {
        params.forEach((p, i) => {
          const g = weightDecay > 0 ? tf.add(grads[i], tf.mul(p, weightDecay)) : grads[i];
          const v = started ? tf.add(tf.mul(velocity[i], momentum), g) : g;
          velocity[i].assign(v);
          p.assign(tf.sub(p, tf.mul(v, lr)));
        });
      });
      started = true;
    },
    velocity,
    get started() {
      return started;
    },
    setStarted(value) {
      started = value;
    },
    dispose() {
      velocity.forEach((v) => v.dispose());
    },
  };
}
