/**
 * The test projects, apart from the build (vite.config.ts): no build plugin (crx, preact preset) loads for tests.
 * JSX in .tsx tests compiles with tsconfig's `jsxImportSource: preact` (Vite's oxc transform reads it).
 *
 * - unit:  everything under test/ that runs in Node, except the panel and the real browsers;
 * - panel: the panel's components under happy-dom (test/panel);
 * - e2e:   the real-browser tests, one file at a time (they drive Chromium and Firefox and share two cores).
 *
 * scripts/test.sh runs all three; test/meta/test-projects.test.ts checks that every test file belongs to one.
 */
import { defineConfig } from 'vitest/config';

export const UNIT_INCLUDE = ['test/**/*.test.{ts,tsx}'];
export const UNIT_EXCLUDE = ['test/e2e/**', 'test/panel/**', 'node_modules/**'];
export const PANEL_INCLUDE = ['test/panel/**/*.test.{ts,tsx}'];
export const E2E_INCLUDE = ['test/e2e/**/*.test.{ts,tsx}'];
/** The projects scripts/test.sh runs. */
export const CI_PROJECTS = ['unit', 'panel', 'e2e'] as const;

export default defineConfig({
  test: {
    globals: true,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: UNIT_INCLUDE, exclude: UNIT_EXCLUDE, environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'panel', include: PANEL_INCLUDE, environment: 'happy-dom' },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E_INCLUDE,
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
