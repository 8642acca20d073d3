// The in-memory shape of an image classification set, shared by the parsers, the subsets and the trainer.

/** CIFAR images are 32 x 32 RGB. */
export const IMAGE_SIZE = 32;
export const IMAGE_CHANNELS = 3;
export const IMAGE_BYTES = IMAGE_SIZE * IMAGE_SIZE * IMAGE_CHANNELS;

/** A labelled set of 32x32 RGB images held as bytes. */
export interface ImageDataset {
  /** count x 32 x 32 x 3 pixels, each image row-major with the channel last (HWC), 0..255. */
  images: Uint8Array;
  /** count labels, each in 0..classNames.length-1. */
  labels: Int32Array;
  /** Name of each class; its index is the label. */
  classNames: string[];
  /** Number of images. */
  count: number;
}

/** A train/test pair drawn from the same classes. */
export interface DatasetSplit {
  train: ImageDataset;
  test: ImageDataset;
}
