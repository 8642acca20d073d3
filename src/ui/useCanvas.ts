// A canvas drawn at the screen's pixel density: sizes the backing store for devicePixelRatio and redraws
// when `deps` change (the page updates at most once per frame, so this draws at most once per frame).
import { useEffect, useRef, type DependencyList } from 'react';

export type Draw = (ctx: CanvasRenderingContext2D, width: number, height: number) => void;

/** Returns the ref to put on a <canvas> of `width` x `height` CSS pixels. */
export function useCanvas(draw: Draw, width: number, height: number, deps: DependencyList) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    draw(ctx, width, height);
  }, [width, height, ...deps]);
  return ref;
}

/** The pointer position in the canvas's own CSS-pixel coordinates (the element may be scaled by CSS). */
export function pointerInCanvas(event: { clientX: number; clientY: number; currentTarget: Element }, width: number, height: number) {
  const rect = event.currentTarget.getBoundingClientRect();
  return {
    x: ((event.clientX - rect.left) * width) / Math.max(rect.width, 1),
    y: ((event.clientY - rect.top) * height) / Math.max(rect.height, 1),
    // Where to put a hover card, relative to the element.
    left: event.clientX - rect.left,
    top: event.clientY - rect.top,
  };
}

/** The (row i, column j) of an n x n grid of `cell`-pixel cells whose corner is at (offset, offset), under p; null outside it. */
export function gridCellAt(p: { x: number; y: number }, offset: number, cell: number, n: number): { i: number; j: number } | null {
  const i = Math.floor((p.y - offset) / cell);
  const j = Math.floor((p.x - offset) / cell);
  return i >= 0 && j >= 0 && i < n && j < n ? { i, j } : null;
}

/**
 * Draw a w x h RGBA pixel grid into the given rectangle: crisp cells when each grid cell gets two or more
 * screen pixels, smoothed when the scale is close to 1 (nearest-neighbour there gives uneven stripes).
 */
export function drawPixels(ctx: CanvasRenderingContext2D, pixels: ImageData, x: number, y: number, w: number, h: number) {
  const tmp = document.createElement('canvas');
  tmp.width = pixels.width;
  tmp.height = pixels.height;
  tmp.getContext('2d')?.putImageData(pixels, 0, 0);
  ctx.imageSmoothingEnabled = w / pixels.width < 2;
  ctx.drawImage(tmp, x, y, w, h);
  ctx.imageSmoothingEnabled = false;
}
