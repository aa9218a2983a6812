// The one command-line parser of every govgraph command (`npm start`,
// `npm run token`, `compose`, `seed`, `policy`, `audit:*`, `explain`,
// `gateway`, `worker`, `console`): node:util parseArgs, strict, with
// `--help`/`-h` answered before the command does anything.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What a command accepts. */
export interface CommandSpec<
  O extends NonNullable<ParseArgsConfig['options']>,
> {
  /** How it is run, for messages: `npm run token`. */
  command: string;
  /** The text `--help` prints: starts with `usage:`. */
  usage: string;
  options?: O;
  allowPositionals?: boolean;
}

/** The outcome of {@link parseCommandLine}. */
export type CommandLine<O extends NonNullable<ParseArgsConfig['options']>> =
  | { kind: 'help'; text: string }
  | { kind: 'error'; message: string }
  | {
      kind: 'parsed';
      values: ReturnType<
        typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
      >['values'];
      positionals: string[];
    };

/**
 * Parses `argv` against `spec`: `--help` or `-h` anywhere gives the usage,
 * an unknown option or a stray argument gives an error (its first line).
 * Writes nothing and exits nothing: see {@link commandLineOrExit}.
 */
export function parseCommandLine<
  O extends NonNullable<ParseArgsConfig['options']>,
>(spec: CommandSpec<O>, argv: readonly string[]): CommandLine<O> {
  if (argv.some((a) => a === '--help' || a === '-h')) {
    return { kind: 'help', text: spec.usage };
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: spec.options ?? ({} as O),
      allowPositionals: spec.allowPositionals ?? false,
      strict: true,
    });
    return {
      kind: 'parsed',
      values: values as Extract<CommandLine<O>, { kind: 'parsed' }>['values'],
      positionals,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'error', message: message.split('\n')[0] ?? message };
  }
}

/**
 * {@link parseCommandLine} for a process's own arguments: `--help` prints
 * the usage and exits 0 before anything is opened or written; bad usage
 * prints the reason and the usage to stderr and exits 2.
 */
export function commandLineOrExit<
  O extends NonNullable<ParseArgsConfig['options']>,
>(
  spec: CommandSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
): Extract<CommandLine<O>, { kind: 'parsed' }> {
  const line = parseCommandLine(spec, argv);
  if (line.kind === 'help') {
    process.stdout.write(`${line.text}\n`);
    process.exit(0);
  }
  if (line.kind === 'error') {
    process.stderr.write(`${spec.command}: ${line.message}\n${spec.usage}\n`);
    process.exit(2);
  }
  return line;
}
