import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { crx, defineManifest } from '@crxjs/vite-plugin';
import { resolve } from 'node:path';
import { firefoxManifest } from './build/manifest.ts';
// The one source manifest, type-checked against the plugin's manifest type by defineManifest below.
import sourceManifest from './manifest.json' with { type: 'json' };

const root = import.meta.dirname;

export default defineConfig(({ mode }) => {
  if (mode === 'cli') {
    // The command line: the same core, bundled for Node; dependencies stay external. Each command is its own chunk
    // (loaded when run), and `yaml` is loaded on first use (src/cli/yaml-on-demand.ts), so a cold start loads only
    // what the command needs. CommonJS output: Node's ES module loader (started for any ESM file) costs more than a
    // small lint itself. No public/ assets: they are the extension's.
    return {
      publicDir: false,
      resolve: { alias: [{ find: /^yaml$/, replacement: resolve(root, 'src/cli/yaml-on-demand.ts') }] },
      build: {
        ssr: resolve(root, 'src/cli/main.ts'),
        outDir: 'dist/cli',
        emptyOutDir: true,
        target: 'node20',
        sourcemap: true,
        // ASCII-only files: non-ASCII characters in code (✓, —, …) are written as \u escapes, and doc comments (the
        // source maps keep them) are left out, so V8 holds each file's source as a one-byte string, half the memory of
        // a two-byte one; a small `explain` then needs one garbage collection fewer.
        rollupOptions: {
          output: {
            format: 'cjs',
            charset: 'ascii',
            comments: { legal: true, annotation: false, jsdoc: false },
            entryFileNames: 's3-cors-doctor.cjs',
            chunkFileNames: 'chunks/[name]-[hash].cjs',
          },
        },
      },
    };
  }
  const browser = mode === 'firefox' ? 'firefox' : 'chrome';
  const manifest = defineManifest(browser === 'firefox' ? firefoxManifest(sourceManifest) : sourceManifest);
  return {
    plugins: [preact(), crx({ manifest, browser })],
    build: {
      outDir: `dist/${browser}`,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      // The panel page is not named in the manifest (devtools.panels.create opens it), so it must be an
      // explicit input or it is silently left out of the build.
      // host-access.html: Firefox panels cannot call permissions.request, so they open this page (panel-host.ts).
      rollupOptions: { input: { panel: resolve(root, 'src/panel/panel.html'), 'host-access': resolve(root, 'src/platform/host-access.html') } },
    },
  };
});
