// The page, for now: what the lab is, and the real CIFAR images it will train on (the training UI comes next).
import { useEffect, useRef, useState } from 'react';
import type { ImageDataset } from '../core/data/types';
import { IMAGE_BYTES, IMAGE_SIZE } from '../core/data/types';
import { loadTestSplit, type Manifest } from './dataset';

const PER_CLASS = 8;

export function App() {
  const [state, setState] = useState<{ manifest: Manifest; test: ImageDataset } | { error: string } | null>(null);
  useEffect(() => {
    loadTestSplit('cifar10').then(setState, (err: unknown) => setState({ error: err instanceof Error ? err.message : String(err) }));
  }, []);
  return (
    <main>
      <h1>OPL Lab</h1>
      <p className="lede">
        Cross-entropy asks only that the true class score highest. The Orthogonal Projection Loss (Ranasinghe et al., ICCV 2021) also
        asks the <em>features</em> of one class to align and those of different classes to be orthogonal:{' '}
        <code>OPL = (1 − s) + γ·d</code>, with <code>s</code> the mean same-class cosine and <code>d</code> the mean different-class
        cosine in a batch. This lab trains small ResNets with both, side by side, on real CIFAR images, in your browser.
      </p>
      {state === null && <p role="status">Loading CIFAR-10…</p>}
      {state && 'error' in state && <p role="alert" className="error">{state.error}</p>}
      {state && 'test' in state && <ContactSheet data={state.test} manifest={state.manifest} />}
    </main>
  );
}

function ContactSheet({ data, manifest }: { data: ImageDataset; manifest: Manifest }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const classes = data.classNames.length;
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const seen = new Array<number>(classes).fill(0);
    for (let i = 0; i < data.count; i++) {
      const c = data.labels[i];
      if (seen[c] >= PER_CLASS) continue;
      const img = ctx.createImageData(IMAGE_SIZE, IMAGE_SIZE);
      for (let p = 0; p < IMAGE_SIZE * IMAGE_SIZE; p++) {
        img.data.set(data.images.subarray(i * IMAGE_BYTES + p * 3, i * IMAGE_BYTES + p * 3 + 3), p * 4);
        img.data[p * 4 + 3] = 255;
      }
      ctx.putImageData(img, seen[c] * (IMAGE_SIZE + 2), c * (IMAGE_SIZE + 2));
      seen[c]++;
    }
  }, [data, classes]);
  return (
    <section aria-label="Sample images">
      <h2>
        CIFAR-10: {manifest.train.count.toLocaleString('en')} training and {manifest.test.count.toLocaleString('en')} test images
      </h2>
      <div className="sheet">
        <ol className="class-names">
          {data.classNames.map((name) => (
            <li key={name}>{name}</li>
          ))}
        </ol>
        <canvas
          ref={canvas}
          width={PER_CLASS * (IMAGE_SIZE + 2)}
          height={classes * (IMAGE_SIZE + 2)}
          role="img"
          aria-label={`${PER_CLASS} test images of each class`}
        />
      </div>
    </section>
  );
}
