// How to read each panel, shown beside the panel's row.
import type { ReactNode } from 'react';

export type PanelId = 'numbers' | 'curves' | 'heatmap' | 'samples' | 'umap' | 'histogram';

export const PANEL_TITLES: Record<PanelId, string> = {
  numbers: 'Numbers',
  curves: 'Curves',
  heatmap: 'Class similarity',
  samples: 'Sample similarity',
  umap: 'Feature map',
  histogram: 'Cosine histogram',
};

const GUIDES: Record<PanelId, ReactNode> = {
  numbers: (
    <p>
      Measured on the test images after each epoch. Same-class and different-class cosine are the test-set counterparts of OPL’s s and d;
      the class-mean off-diagonal is the mean cosine between class centroids (0 = orthogonal classes). “vs CE” is this run minus the CE run.
    </p>
  ),
  curves: (
    <p>
      Per logged step (thinned to at most 300 points). Total is what the run minimises; the CE run logs OPL without training on it, so you
      can see what CE alone does to s and d. Dashed vertical lines mark a change of γ or λ, which applies from the next step.
    </p>
  ),
  heatmap: (
    <p>
      Cosine between the mean features of every pair of classes. The diagonal is 1. Red off the diagonal: classes share directions. White:
      orthogonal, what OPL asks for. Blue (opposed) cannot happen after ReLU. Hover a cell for its value.
    </p>
  ),
  samples: (
    <p>
      Every pair of a few hundred test images, sorted by class (coloured strips). OPL wants red blocks on the diagonal and white
      everywhere else; CE usually leaves the whole square red.
    </p>
  ),
  umap: (
    <p>
      A 2-D UMAP layout of the embedded test features, coloured by true class, animating as it converges after each epoch. Neighbourhoods
      mean something; distances between clusters and the axes do not. Hover a point to see the image.
    </p>
  ),
  histogram: (
    <p>
      All pairwise cosines of the same sample: green for pairs of one class, red for pairs of two classes, each as a share of its own pairs.
      The further apart the two humps, the better angle alone separates classes; OPL pushes the red hump towards 0.
    </p>
  ),
};

export function PanelGuide({ id }: { id: PanelId }) {
  return (
    <div className="panel-guide">
      <h3 id={`panel-${id}`}>{PANEL_TITLES[id]}</h3>
      {GUIDES[id]}
    </div>
  );
}
