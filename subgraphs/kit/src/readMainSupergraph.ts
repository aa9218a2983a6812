import { configuredEnv } from './env.js';
import {
  DEFAULT_SUPERGRAPH_PATH,
  readSupergraphFile,
} from './supergraphFile.js';

/**
 * The supergraph a subgraph main runs over: the file `SUPERGRAPH_PATH`
 * names (environment or configuration file), else the committed one. A
 * configuration file that cannot be used, or a supergraph that cannot be
 * read, ends the process with one line and exit code 1.
 */
export async function readMainSupergraph(): Promise<string> {
  let path: string;
  try {
    path = configuredEnv()['SUPERGRAPH_PATH'] || DEFAULT_SUPERGRAPH_PATH;
  } catch (error) {
    // A configuration file that cannot be read or names an unknown key.
    return exitWith(error instanceof Error ? error.message : String(error));
  }
  try {
    return await readSupergraphFile(path);
  } catch (error) {
    return exitWith(
      `cannot read the supergraph ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function exitWith(line: string): never {
  process.stderr.write(`govgraph: ${line}\n`);
  process.exit(1);
}
