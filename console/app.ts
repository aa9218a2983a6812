import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { WebApp } from '../subgraphs/kit/src/web/webApp.js';

const generated = new URL('src/graphql/generated/', import.meta.url);

function readGenerated(name: string): string | null {
  const url = new URL(name, generated);
  return existsSync(url) ? readFileSync(url, 'utf8') : null;
}

/**
 * The web console as a web app: built from this folder into `dist/`
 * (ignored by git) by `npm run build:console`, served by the console server
 * (catalog/src/web/serveRegistryConsole.ts). Before its stamp is read, its
 * API schema and department names are written from the repository
 * (scripts/generate.ts) and, when the schema changed, gql.tada's types of
 * its operations (which `npm run check:types` reads too).
 */
export const CONSOLE_APP: WebApp = {
  name: 'console',
  root: fileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, ''),
  outDir: fileURLToPath(new URL('dist', import.meta.url)),
  packages: [
    'vite',
    '@vitejs/plugin-react',
    'react',
    'react-dom',
    'antd',
    '@ant-design/icons',
    'gql.tada',
    'oidc-client-ts',
    '@casl/ability',
  ],
  // The registry's lifecycle and CASL rules (the allowed actions shown
  // before a request) and the API's error codes.
  sources: [
    fileURLToPath(new URL('../catalog/src/model', import.meta.url)),
    fileURLToPath(
      new URL('../subgraphs/kit/src/errors/ErrorCode.ts', import.meta.url),
    ),
  ],
  prepare: async () => {
    const { generate } = await import('./scripts/generate.js');
    const before = readGenerated('schema.graphql');
    generate();
    if (
      before === readGenerated('schema.graphql') &&
      readGenerated('graphql-env.d.ts') !== null
    ) {
      return;
    }
    const { generateOutput } = await import('@gql.tada/cli-utils');
    await generateOutput({
      tsconfig: fileURLToPath(new URL('tsconfig.json', import.meta.url)),
      output: undefined,
      silent: true,
    });
  },
};
