// The UMAP layout of one run's embedded test features, coloured by class, redrawn as the layout converges.
// Hovering a point shows its test image and label.
import { memo, useMemo, useState } from 'react';
import { classColor } from '../lib/colorScale';
import type { EmbeddingView } from '../trainerView';
import type { UmapLayout } from '../useUmap';
import { pointerInCanvas, useCanvas } from '../useCanvas';
import { ClassLegend } from './ClassLegend';
import { HoverCard } from './HoverCard';
import { Thumbnail } from './Thumbnail';

interface Props {
  layout?: UmapLayout;
  error?: string;
  embedding?: EmbeddingView;
  classNames: string[];
  size?: number;
}

const PAD = 10;
const HIT_RADIUS = 9;

/** Canvas positions of the layout's points, scaled to fit with a margin. */
function placePoints(coords: Float32Array, size: number): Float32Array {
  const n = coords.length / 2;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, coords[2 * i]);
    maxX = Math.max(maxX, coords[2 * i]);
    minY = Math.min(minY, coords[2 * i + 1]);
    maxY = Math.max(maxY, coords[2 * i + 1]);
  }
  const span = Math.max(maxX - minX, maxY - minY, 1e-9);
  const scale = (size - 2 * PAD) / span;
  const offX = (size - (maxX - minX) * scale) / 2;
  const offY = (size - (maxY - minY) * scale) / 2;
  const out = new Float32Array(coords.length);
  for (let i = 0; i < n; i++) {
    out[2 * i] = offX + (coords[2 * i] - minX) * scale;
    out[2 * i + 1] = offY + (coords[2 * i + 1] - minY) * scale;
  }
  return out;
}

/** Memoised: what it draws changes once per epoch (or per UMAP layout), while the page re-renders on every step. */
export const FeatureMap = memo(function FeatureMap({ layout, error, embedding, classNames, size = 300 }: Props) {
  const [hover, setHover] = useState<{ point: number; left: number; top: number } | null>(null);
  const count = embedding?.labels.length ?? 0;
  const usable = layout && embedding && layout.coords.length === count * 2 ? layout : undefined;
  const points = useMemo(() => (usable ? placePoints(usable.coords, size) : undefined), [usable, size]);
  const radius = count > 800 ? 2 : count > 300 ? 2.5 : 3.5;

  const ref = useCanvas(
    (ctx) => {
      if (!points || !embedding) return;
      ctx.globalAlpha = 0.85;
      for (let i = 0; i < count; i++) {
        ctx.fillStyle = classColor(embedding.labels[i], classNames.length);
        ctx.beginPath();
        ctx.arc(points[2 * i], points[2 * i + 1], radius, 0, 2 * Math.PI);
        ctx.fill();
      }
      ctx.globalAlpha = 1;
      if (hover) {
        ctx.strokeStyle = '#0f172a';
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(points[2 * hover.point], points[2 * hover.point + 1], radius + 3, 0, 2 * Math.PI);
        ctx.stroke();
      }
    },
    size,
    size,
    [points, embedding, classNames, hover?.point],
  );

  if (!embedding) return <p className="empty">Appears after the first epoch.</p>;
  const label = (i: number) => classNames[embedding.labels[i]] ?? `class ${embedding.labels[i]}`;
  // Row i of the images the worker sent is the image of point i.
  const images = embedding.images;
  return (
    <div className="canvas-panel">
      <div className="canvas-wrap">
        <canvas
          ref={ref}
          style={{ maxWidth: size }}
          className="feature-map"
          role="img"
          aria-label={`UMAP of ${count} test features coloured by class${usable ? `, layout epoch ${usable.epoch} of ${usable.epochs}` : ''}`}
          onMouseMove={(e) => {
            if (!points) return;
            const p = pointerInCanvas(e, size, size);
            let best = -1;
            let bestDist = HIT_RADIUS * HIT_RADIUS;
            for (let i = 0; i < count; i++) {
              const d = (points[2 * i] - p.x) ** 2 + (points[2 * i + 1] - p.y) ** 2;
              if (d < bestDist) {
                bestDist = d;
                best = i;
              }
            }
            setHover(best >= 0 ? { point: best, left: p.left, top: p.top } : null);
          }}
          onMouseLeave={() => setHover(null)}
        />
        {!usable && <p className="canvas-overlay">{error ? `UMAP failed: ${error}` : 'Laying out…'}</p>}
        {hover && (
          <HoverCard left={hover.left} top={hover.top}>
            {images && <Thumbnail images={images} index={hover.point} label={`Test image: ${label(hover.point)}`} />}
            <div>{label(hover.point)}</div>
          </HoverCard>
        )}
      </div>
      <p className="caption">
        {usable ? `UMAP epoch ${usable.epoch} / ${usable.epochs} · features after step ${usable.step}` : ' '}
        {error && usable ? ` · ${error}` : ''}
      </p>
      <ClassLegend classNames={classNames} />
    </div>
  );
});
