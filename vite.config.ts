// Vite serves and builds the web app. Cross-origin isolation headers let the wasm backend use threads
// (SharedArrayBuffer); static hosts must send the same two headers (see README).
// `vite build --mode e2e` builds into dist-e2e/ instead, adding tests/e2e/harness.html, the page the browser
// tests drive the workers from (`vite preview --mode e2e` serves it), so `npm run build` cannot clobber it.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const page = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The HTML entries of a build: the app, plus the browser tests' harness page in e2e mode. */
function listPages(mode: string): Record<string, string> {
  const pages: Record<string, string> = { main: page('./index.html') };
  if (mode === 'e2e') pages.harness = page('./tests/e2e/harness.html');
  return pages;
}

/**
 * tfjs's threaded wasm backend starts each thread from `factory.toString()`, so that function's source must
 * survive bundling verbatim: minified, it refers to names that exist only in the bundle ("e is not defined"
 * in every thread). Ship the Emscripten factory as a string and evaluate it once at runtime instead.
 */
function keepWasmThreadFactory(): Plugin {
  const factoryFile = /@tensorflow[\\/]tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
  return {
    name: 'opl:keep-wasm-thread-factory',
    enforce: 'pre',
    async load(id) {
      if (!factoryFile.test(id)) return null;
      const body = `${await readFile(id, 'utf8')}\nreturn WasmBackendModuleThreadedSimd;`;
      return `export default new Function(${JSON.stringify(body)})();\n`;
    },
  };
}

export default defineConfig(({ mode }) => ({
  plugins: [react()],
  base: './',
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  // Worker bundles get their own plugin list: the training worker is where tfjs's wasm backend lives.
  worker: { format: 'es', plugins: () => [keepWasmThreadFactory()] },
  build: {
    target: 'es2022',
    outDir: mode === 'e2e' ? 'dist-e2e' : 'dist',
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      input: listPages(mode),
    },
  },
}));
