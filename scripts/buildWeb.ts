// `npm run build:web` (and `postinstall`, `build:ide`): builds every
// browser app govgraph serves whose build is missing or stale (see
// subgraphs/kit/src/web/webApp.ts), with Vite, from npm-installed packages.
//
//   tsx scripts/buildWeb.ts [--force] [--check] [--if-builder] [app…]
//
// The apps are listed once, in hub/webApps.ts (WEB_APPS): add one there.
import { commandLineOrExit } from '../subgraphs/kit/src/cli/commandLine.js';
import { webAppState } from '../subgraphs/kit/src/web/webApp.js';
import { ensureWebAppBuilt } from '../subgraphs/kit/src/web/buildWebApp.js';
import { WEB_APPS } from '../hub/webApps.js';

const USAGE = `usage: tsx scripts/buildWeb.ts [--force] [--check] [--if-builder] [app…]

Builds the browser apps (${WEB_APPS.map((a) => a.name).join(', ')}) whose build is missing or
stale, with Vite; all of them when no app is named.
  --force       build even when fresh
  --check       build nothing; exit 1 when one is missing or stale
  --if-builder  exit 0 with a note when Vite is not installed (npm install
                without dev packages: postinstall)`;

// Read before anything runs: `--help` prints the usage and exits.
const { values, positionals } = commandLineOrExit({
  command: 'build:web',
  usage: USAGE,
  allowPositionals: true,
  options: {
    force: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    'if-builder': { type: 'boolean', default: false },
  },
});

async function main(): Promise<number> {
  const unknown = positionals.filter(
    (name) => !WEB_APPS.some((app) => app.name === name),
  );
  if (unknown.length > 0) {
    process.stderr.write(
      `build:web: no app ${unknown.map((n) => `"${n}"`).join(', ')} (apps: ${WEB_APPS.map((a) => a.name).join(', ')})\n`,
    );
    return 2;
  }
  const apps =
    positionals.length === 0
      ? WEB_APPS
      : WEB_APPS.filter((app) => positionals.includes(app.name));
  let code = 0;
  for (const app of apps) {
    if (values.check) {
      const state = await webAppState(app);
      process.stdout.write(`${app.name}: ${state}\n`);
      if (state !== 'fresh') code = 1;
      continue;
    }
    process.stdout.write(`${app.name}: checking ${app.root}\n`);
    const result = await ensureWebAppBuilt(app, { force: values.force });
    switch (result.kind) {
      case 'fresh':
        process.stdout.write(`${app.name}: up to date\n`);
        break;
      case 'built':
        process.stdout.write(
          `${app.name}: built (${result.was}) into ${app.outDir} in ${(result.ms / 1000).toFixed(1)} s\n`,
        );
        break;
      case 'no-builder':
        process.stderr.write(
          `${app.name}: not built: ${result.reason}; install the dev packages (npm install) and run npm run build:web\n`,
        );
        if (!values['if-builder']) code = 1;
        break;
    }
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `build:web: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
