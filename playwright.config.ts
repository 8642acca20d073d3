// Browser tests: real Chromium (Debian's, or CHROMIUM_PATH) with WebGPU on SwiftShader, against the BUILT
// site served by `vite preview` from dist-e2e/ (`npm run test:e2e` builds it, with the harness page, first).
// Software WebGPU takes 1-10 s per training step even for tiny models, hence the long timeouts.
import { defineConfig } from '@playwright/test';

// E2E_PORT lets several checkouts run their browser tests side by side.
const PORT = Number(process.env.E2E_PORT) || 4173;

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 15 * 60_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless=new',
        '--enable-unsafe-webgpu',
        '--enable-features=Vulkan',
        '--use-vulkan=swiftshader',
        '--use-webgpu-adapter=swiftshader',
        '--enable-unsafe-swiftshader',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    // WebGPU needs a secure context; localhost is one.
    command: `npx vite preview --mode e2e --port ${PORT} --strictPort --host localhost`,
    url: `http://localhost:${PORT}`,
    // Never reuse: a server already on the port may be serving another build.
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
