// The legend of the diverging cosine scale shared by the two matrices.
import { COSINE_GRADIENT_CSS } from '../lib/colorScale';

export function CosineLegend() {
  return (
    <div className="cosine-legend" aria-label="Colour scale: cosine −1 blue, 0 white, +1 red">
      <span>−1</span>
      <span className="cosine-legend-bar" style={{ background: COSINE_GRADIENT_CSS }} />
      <span>+1</span>
      <span className="cosine-legend-note">· white (0) = orthogonal</span>
    </div>
  );
}
