// Per run, the geometry of the latest embedded sample (sorted cosines and histogram), computed once per embedding.
import { useMemo } from 'react';
import { computeSampleGeometry, type SampleGeometry } from './lib/sampleGeometry';
import type { EmbeddingView } from './trainerView';

/** Most samples in the similarity matrix: 400² cosines of 4w-dimensional features stay a few milliseconds. */
export const MAX_MATRIX_SAMPLES = 400;

export function useSampleGeometry(embedding: EmbeddingView | undefined): Array<SampleGeometry | undefined> {
  return useMemo(
    () => embedding?.features.map((f) => computeSampleGeometry(f, embedding.labels, embedding.dim, MAX_MATRIX_SAMPLES)) ?? [],
    [embedding],
  );
}
