import { fileURLToPath } from 'node:url';

import type { WebApp } from '../../subgraphs/kit/src/web/webApp.js';

/**
 * The gateway's GraphQL IDE as a web app: built from this folder into
 * `dist/` (ignored by git) by `npm run build:ide`, served by the gateway.
 */
export const IDE_APP: WebApp = {
  name: 'ide',
  root: fileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, ''),
  outDir: fileURLToPath(new URL('dist', import.meta.url)),
  packages: [
    'vite',
    '@vitejs/plugin-react',
    'react',
    'react-dom',
    'graphiql',
    '@graphiql/react',
    'monaco-editor',
    'monaco-graphql',
  ],
  // The explain query, shared with `npm run explain`.
  sources: [fileURLToPath(new URL('../src/explainQuery.ts', import.meta.url))],
};
