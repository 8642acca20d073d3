// The page: finds out which data sets this server has prepared (their manifests bound the settings), then
// shows the lab. A missing data set is a visible message, never a blank page.
import { useEffect, useState } from 'react';
import { Lab } from './Lab';
import { loadCatalog } from './dataset';
import { FALLBACK_CATALOG, type DataCatalog } from './settings';

type Loaded = { catalog: DataCatalog; problem?: string };

export function App() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    loadCatalog().then(
      ({ catalog }) =>
        setLoaded(
          Object.keys(catalog).length > 0
            ? { catalog }
            : { catalog: FALLBACK_CATALOG, problem: 'No prepared data set was found under data/: run `npm run data` (or `npm start`) and reload.' },
        ),
      (err: unknown) => setLoaded({ catalog: FALLBACK_CATALOG, problem: `Could not read the data manifests: ${err instanceof Error ? err.message : String(err)}` }),
    );
  }, []);
  if (!loaded) {
    return (
      <main className="loading">
        <h1>OPL Lab</h1>
        <p role="status">Looking for the prepared data…</p>
      </main>
    );
  }
  return <Lab catalog={loaded.catalog} problem={loaded.problem} />;
}
