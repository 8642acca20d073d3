// The training worker's embedding message: the embedded test images travel with it, row i the image of point
// i, once per trainer (the page keeps them), and again only when the embedded images change; each run's sample
// geometry (sorted cosines, histogram) travels with it too, so the page computes none.
import { describe, expect, it } from 'vitest';
import { IMAGE_BYTES } from '../src/core/data/types';
import { computeSampleGeometry } from '../src/core/eval/sampleGeometry';
import type { Embedding } from '../src/core/trainer';
import { describeEmbedding, type Session } from '../src/worker/session';
import { makeSyntheticSplit } from './helpers/synthetic';

const split = makeSyntheticSplit(8, 12, 3);

function embedding(indices: number[]): Embedding {
  const rows = Int32Array.from(indices);
  return {
    // Distinct, non-zero features per run, so each run's cosines differ.
    features: [0, 1].map((r) => Float32Array.from({ length: rows.length * 2 }, (_, k) => Math.sin(k + 1 + 3 * r))),
    labels: Int32Array.from(rows, (i) => split.test.labels[i]),
    indices: rows,
    dim: 2,
  };
}

describe('describeEmbedding', () => {
  it('sends the embedded images with the first embedding, row by row, and transfers every buffer', () => {
    const s = { split, sentImages: null } as unknown as Session;
    const e = embedding([1, 5, 10]);
    const { message, transfer } = describeEmbedding(s, 4, e);
    expect(message).toMatchObject({ type: 'embedding', step: 4, dim: 2 });
    expect(message).not.toHaveProperty('indices');
    const images = message.images as Uint8Array;
    expect(images).toHaveLength(3 * IMAGE_BYTES);
    [1, 5, 10].forEach((index, row) => {
      expect(images.subarray(row * IMAGE_BYTES, (row + 1) * IMAGE_BYTES)).toEqual(split.test.images.subarray(index * IMAGE_BYTES, (index + 1) * IMAGE_BYTES));
      expect(message.labels[row]).toBe(split.test.labels[index]);
    });
    const geometry = message.geometry.flatMap((g) => [g.order.buffer, g.labels.buffer, g.cosines.buffer]);
    expect(transfer).toEqual([e.features[0].buffer, e.features[1].buffer, e.labels.buffer, ...geometry, images.buffer]);
  });

  it("carries each run's sample geometry, as the page drew it from the features", () => {
    const s = { split, sentImages: null } as unknown as Session;
    const e = embedding([1, 5, 10, 2]);
    const expected = e.features.map((f) => computeSampleGeometry(f, e.labels, 2));
    const { message } = describeEmbedding(s, 4, e);
    expect(message.geometry).toHaveLength(2);
    message.geometry.forEach((g, r) => expect(g).toEqual(expected[r]));
    expect(message.geometry[0].cosines).not.toEqual(message.geometry[1].cosines);
  });

  it('leaves the images out while the embedded images stay the same, and sends them again when they change', () => {
    const s = { split, sentImages: null } as unknown as Session;
    expect(describeEmbedding(s, 4, embedding([0, 3])).message.images).toBeDefined();
    const same = describeEmbedding(s, 8, embedding([0, 3]));
    expect(same.message.images).toBeUndefined();
    expect(same.transfer).toHaveLength(3 + 2 * 3); // features, labels, and each run's order, labels, cosines
    expect(describeEmbedding(s, 12, embedding([0, 4])).message.images).toHaveLength(2 * IMAGE_BYTES);
  });
});
