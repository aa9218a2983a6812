// Vite build of the gateway's GraphQL IDE (GraphiQL 5 with its Monaco
// editors and their web workers), served by the gateway under /ide/ and at
// GET /graphql for browsers. Built by `npm run build:ide` (and on install
// and start when stale: scripts/buildWeb.ts); nothing is fetched from a CDN.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Vite's config file is loaded by its default export.
// eslint-disable-next-line import/no-default-export
export default defineConfig({
  base: '/ide/',
  plugins: [react()],
  // The IDE runs offline: no source maps to fetch, no inlined fonts the
  // CSP would have to allow as data: URLs.
  build: {
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 8_000,
    reportCompressedSize: false,
    rolldownOptions: {
      // GraphiQL marks modules "use no memo" for the React compiler, which
      // the bundle does not run: the directive has nothing to keep.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  worker: { format: 'es' },
});
