// One 32 x 32 test image, drawn from the pixels the training worker sent, scaled up without smoothing.
import { IMAGE_BYTES, IMAGE_SIZE } from '../../core/data/types';
import { useCanvas } from '../useCanvas';

interface Props {
  /** [n, 32, 32, 3] HWC uint8 images. */
  images: Uint8Array;
  index: number;
  size?: number;
  label: string;
}

export function Thumbnail({ images, index, size = 64, label }: Props) {
  const ref = useCanvas(
    (ctx) => {
      const pixels = new ImageData(IMAGE_SIZE, IMAGE_SIZE);
      const base = index * IMAGE_BYTES;
      for (let p = 0; p < IMAGE_SIZE * IMAGE_SIZE; p++) {
        pixels.data[p * 4] = images[base + p * 3];
        pixels.data[p * 4 + 1] = images[base + p * 3 + 1];
        pixels.data[p * 4 + 2] = images[base + p * 3 + 2];
        pixels.data[p * 4 + 3] = 255;
      }
      const tmp = document.createElement('canvas');
      tmp.width = IMAGE_SIZE;
      tmp.height = IMAGE_SIZE;
      tmp.getContext('2d')?.putImageData(pixels, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(tmp, 0, 0, size, size);
    },
    size,
    size,
    [images, index],
  );
  return <canvas ref={ref} className="thumbnail" style={{ width: size, height: size }} role="img" aria-label={label} />;
}
