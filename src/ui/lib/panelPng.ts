// Draws a panel as it shows on screen into one PNG: its canvases (the line charts too) copied as they are, its
// recharts SVGs serialised and drawn as images, its HTML text (legends, captions) written, each at its place in
// the panel, on white, under the panel's title.

const TITLE_PX = 18;

/** Load an SVG element (with its inline attributes) as an image. */
function loadSvg(svg: SVGSVGElement, width: number, height: number): Promise<HTMLImageElement> {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  // Text inherits the page's font through CSS, which a standalone SVG does not see.
  copy.setAttribute('font-family', getComputedStyle(svg).fontFamily || 'sans-serif');
  const source = new XMLSerializer().serializeToString(copy);
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('a chart could not be drawn as an image'));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`;
  });
}

/** Write the panel's HTML text (legends, captions, titles) where it shows, in its own font and colour. */
function drawHtmlText(ctx: CanvasRenderingContext2D, panel: HTMLElement, box: DOMRect, top: number): void {
  const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent?.trim();
    const parent = node.parentElement;
    if (!text || !parent || parent.closest('svg, button, h3, [role=status]')) continue;
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const style = getComputedStyle(parent);
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    ctx.fillStyle = style.color;
    ctx.textBaseline = 'middle';
    ctx.fillText(text, r.left - box.left, r.top - box.top + top + r.height / 2);
  }
  // Swatches before legend labels are empty coloured boxes.
  for (const swatch of Array.from(panel.querySelectorAll<HTMLElement>('.swatch'))) {
    const r = swatch.getBoundingClientRect();
    const style = getComputedStyle(swatch);
    // A dashed line's swatch is its top border alone.
    const dashed = style.borderTopStyle === 'dashed';
    ctx.fillStyle = dashed ? style.borderTopColor : style.backgroundColor;
    ctx.fillRect(r.left - box.left, r.top - box.top + top, r.width, dashed ? parseFloat(style.borderTopWidth) || 2 : r.height);
  }
}

/**
 * Render the canvases and chart SVGs inside `panel` into one PNG at the device's pixel ratio, with `title`
 * on top. @throws Error when the panel has nothing drawn yet.
 */
export async function renderPanelPng(panel: HTMLElement, title: string): Promise<Blob> {
  const box = panel.getBoundingClientRect();
  const parts = Array.from(panel.querySelectorAll<HTMLCanvasElement | SVGSVGElement>('canvas, svg.recharts-surface'));
  const shown = parts.filter((p) => p.getBoundingClientRect().width > 0 && p.getBoundingClientRect().height > 0);
  if (shown.length === 0) throw new Error(`${title}: nothing is drawn yet`);
  const scale = window.devicePixelRatio || 1;
  const out = document.createElement('canvas');
  out.width = Math.ceil(box.width * scale);
  out.height = Math.ceil((box.height + TITLE_PX) * scale);
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, box.width, box.height + TITLE_PX);
  ctx.fillStyle = '#1f2937';
  ctx.font = `600 12px ${getComputedStyle(panel).fontFamily || 'sans-serif'}`;
  ctx.fillText(title, 6, 13);
  for (const part of shown) {
    const r = part.getBoundingClientRect();
    const x = r.left - box.left;
    const y = r.top - box.top + TITLE_PX;
    if (part instanceof HTMLCanvasElement) ctx.drawImage(part, x, y, r.width, r.height);
    else ctx.drawImage(await loadSvg(part, r.width, r.height), x, y, r.width, r.height);
  }
  drawHtmlText(ctx, panel, box, TITLE_PX);
  return new Promise((resolve, reject) => out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be encoded'))), 'image/png'));
}
