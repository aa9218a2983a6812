import { CONSOLE_APP } from '../console/app.js';
import { IDE_APP } from '../gateway/ide/app.js';
import type { WebApp } from '../subgraphs/kit/src/web/webApp.js';

/**
 * Every browser app govgraph builds with Vite and serves, in build order:
 * `npm install` (postinstall), `npm run build:web` and `npm start` build
 * the ones missing or stale (scripts/buildWeb.ts). To add one: a folder
 * with `index.html` and `vite.config.ts`, a `WebApp` beside it (like
 * gateway/ide/app.ts), listed here and given a `build:<name>` script.
 */
export const WEB_APPS: readonly WebApp[] = [IDE_APP, CONSOLE_APP];
