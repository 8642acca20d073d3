// Unit tests run in Node on the core and the CLI; browser tests (*.spec.ts) run separately in real Chromium.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Training tests are CPU-heavy; two workers match the two cores.
    maxWorkers: 2,
  },
});
