import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// Two pages, one build: dist/agent/index.html, dist/dashboard/index.html and hashed
// assets under dist/assets/, which the hub serves with a long, immutable cache.
export default defineConfig({
  root: here('.'),
  base: '/',
  // Workspace packages are read from their TypeScript sources ("source" export
  // condition), so the pages build even before protocol's dist exists.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        agent: here('agent/index.html'),
        dashboard: here('dashboard/index.html'),
      },
      output: {
        // Libraries change less often than the pages: their own cached chunk.
        manualChunks: (id) => (id.includes('/node_modules/') ? 'vendor' : id.includes('/src/common/') || id.includes('/protocol/src/') ? 'common' : undefined),
      },
      onwarn(warning, warn) {
        // zod ships comments Rollup cannot place; harmless, and not ours to fix.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/') === true) return;
        warn(warning);
      },
    },
  },
});
