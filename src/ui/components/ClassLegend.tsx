// Swatches naming the colour of each class (the feature map); long lists wrap and scroll.
import { classColor } from '../lib/colorScale';

export function ClassLegend({ classNames }: { classNames: string[] }) {
  return (
    <ul className="class-legend" aria-label="Class colours">
      {classNames.map((name, i) => (
        <li key={`${i}-${name}`}>
          <span className="swatch" style={{ background: classColor(i, classNames.length) }} aria-hidden="true" />
          {name}
        </li>
      ))}
    </ul>
  );
}
