// The console's build: `npm run build:web` (scripts/buildWeb.ts) runs it
// into console/dist, which the console's server serves
// (catalog/src/web/serveRegistryConsole.ts). Nothing is fetched from a CDN:
// every module is bundled from node_modules.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Assets stay files of their own, served by the console's server.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2_000,
  },
});
