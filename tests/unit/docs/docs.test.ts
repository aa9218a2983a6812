// The documentation holds (issue 13, item 5): README.md stays an entry page,
// every relative link resolves, every request a reader pastes sends valid
// JSON whose query validates against the gateway's API schema,
// docs/configuration.md lists exactly the environment variables the zod
// schemas accept, and every `npm run` script the docs name exists. No I/O
// but reading files of the repository.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';

import { Supergraph } from '@apollo/federation-internals';
import {
  getVariableValues,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

import { withExplain } from '../../../policies/src/index.js';

const root = resolve(import.meta.dirname, '../../..');

/** The most lines README.md may have: it is an entry page. */
const README_MAX_LINES = 300;

/** Folders of the repository that hold source files (and need a README). */
const SOURCE_FOLDERS = [
  'gateway',
  'policies',
  'subgraphs',
  'catalog',
  'search',
  'seeds',
  'hub',
  'bench',
  'console',
  'scripts',
  'tests',
];

/**
 * Environment variables read without a zod schema, each with the reason it
 * is not in one. docs/configuration.md's second table lists exactly these.
 */
const READ_OUTSIDE_SCHEMAS: Readonly<Record<string, string>> = {
  'SUBGRAPH_<NAME>_URL':
    'gateway/src/env.ts reads it by pattern after the schema: the subgraph names are open-ended',
  GOVGRAPH_TOKEN:
    'npm run explain falls back to it when --token is not given (a CLI convenience, not a process setting)',
  USER: 'npm run policy logs an import under the login name of whoever ran it',
  TEST_DATABASE_URL:
    'tests/utils/testDatabase.ts: the tests are not a govgraph process',
  CONSOLE_SCREENSHOTS:
    'tests/e2e/console.e2e.test.ts writes the console screenshots there',
  BENCH_KEEP_DB: 'bench/search.ts, a benchmark knob',
  BENCH_RELOAD: 'bench/search.ts, a benchmark knob',
};

/** Names that look like environment variables in prose and code blocks. */
const ENV_NAME =
  /(?<![\w-])(?:(?:GATEWAY|GOVGRAPH|ALERT|CONSOLE|SUBGRAPH|PGLITE|SEARCH|TEST|BENCH|REGISTRY|ELASTICSEARCH|REDIS|DATABASE)_[A-Z0-9_<>]*[A-Z0-9>]|HOST|PORT|LOG_LEVEL|NODE_ENV|SEED|SUPERGRAPH_PATH|MAX_BODY_BYTES)(?![\w-])/g;

// ---------------------------------------------------------------------------
// Reading the repository

function read(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

function repoPath(absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  const absolute = join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute).flatMap((entry) => {
    if (entry === 'node_modules' || entry.startsWith('.')) return [];
    const path = `${dir}/${entry}`;
    if (statSync(join(root, path)).isDirectory()) return filesUnder(path, keep);
    return keep(path) ? [path] : [];
  });
}

/** README.md, docs/*.md and the README of every top-level folder. */
function markdownFiles(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  const folders = readdirSync(root)
    .filter(
      (d) =>
        !d.startsWith('.') &&
        d !== 'node_modules' &&
        statSync(join(root, d)).isDirectory() &&
        existsSync(join(root, d, 'README.md')),
    )
    .sort()
    .map((d) => `${d}/README.md`);
  return ['README.md', ...docs, ...folders];
}

// ---------------------------------------------------------------------------
// Markdown

interface Fence {
  lang: string;
  body: string;
  /** 1-based line of the first line of the body. */
  line: number;
}

interface Markdown {
  fences: Fence[];
  /** The text outside fences, fences blanked (line numbers kept). */
  prose: string;
}

function readMarkdown(text: string): Markdown {
  const fences: Fence[] = [];
  const prose: string[] = [];
  let open: {
    lang: string;
    indent: number;
    lines: string[];
    line: number;
  } | null = null;
  text.split('\n').forEach((lineText, index) => {
    if (open === null) {
      const start = /^( *)(`{3,})([\w-]*)\s*$/.exec(lineText);
      if (start) {
        open = {
          lang: start[3] ?? '',
          indent: start[1]?.length ?? 0,
          lines: [],
          line: index + 2,
        };
        prose.push('');
      } else {
        prose.push(lineText);
      }
      return;
    }
    if (/^ *`{3,}\s*$/.test(lineText)) {
      fences.push({
        lang: open.lang,
        body: open.lines.join('\n') + '\n',
        line: open.line,
      });
      open = null;
    } else {
      const indent = open.indent;
      open.lines.push(
        lineText.slice(0, indent).trim() === ''
          ? lineText.slice(indent)
          : lineText,
      );
    }
    prose.push('');
  });
  return { fences, prose: prose.join('\n') };
}

/** GitHub's anchor for a heading (github-slugger). */
function slug(heading: string): string {
  const text = heading
    .replace(/`([^`]*)`/g, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/\*/g, '');
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: Markdown): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const match of markdown.prose.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(match[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${String(count)}`);
  }
  return anchors;
}

interface Link {
  target: string;
  line: number;
}

function linksOf(markdown: Markdown): Link[] {
  const links: Link[] = [];
  markdown.prose.split('\n').forEach((lineText, index) => {
    const withoutCode = lineText.replace(/`[^`]*`/g, '');
    for (const match of withoutCode.matchAll(
      /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
    )) {
      links.push({ target: match[1] ?? '', line: index + 1 });
    }
  });
  return links;
}

/** Problems with the relative links of `file`: missing files and anchors. */
function brokenLinks(file: string, text: string): string[] {
  const markdown = readMarkdown(text);
  const problems: string[] = [];
  for (const { target, line } of linksOf(markdown)) {
    if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    const [path = '', anchor] = target.split('#', 2);
    const targetFile =
      path === '' ? file : repoPath(resolve(root, dirname(file), path));
    const where = `${file}:${String(line)}: ${target}`;
    if (targetFile.startsWith('..') || !existsSync(join(root, targetFile))) {
      problems.push(`${where}: no file ${targetFile}`);
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (!targetFile.endsWith('.md')) {
      problems.push(`${where}: an anchor into a file that is not Markdown`);
      continue;
    }
    const targetText = targetFile === file ? text : read(targetFile);
    if (!anchorsOf(readMarkdown(targetText)).has(decodeURIComponent(anchor))) {
      problems.push(`${where}: ${targetFile} has no heading #${anchor}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Shell: enough of POSIX sh quoting to see what curl sends

type Segment =
  | { kind: 'literal' | 'single' | 'double'; text: string }
  | { kind: 'expansion'; name: string; quoted: boolean };

interface Word {
  segments: Segment[];
}

interface Command {
  words: Word[];
  /** Offset (0-based) of the line the command starts on. */
  line: number;
  /** A here-document on the command's standard input. */
  io: { stdin?: string };
}

/** What an expansion stands for while checking: a plain word. */
const PLACEHOLDER = 'X';

function valueOf(word: Word): string {
  return word.segments
    .map((s) => (s.kind === 'expansion' ? PLACEHOLDER : s.text))
    .join('');
}

/** Reads `$NAME`, `${…}`, `$(…)`, `$1` … at `source[at] === '$'`. */
function readExpansion(
  source: string,
  at: number,
): { name: string; end: number } | null {
  const next = source[at + 1] ?? '';
  if (next === '(') {
    let depth = 0;
    for (let j = at + 1; j < source.length; j++) {
      const c = source[j];
      if (c === "'") {
        j = source.indexOf("'", j + 1);
        if (j < 0) break;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) {
        return { name: source.slice(at, j + 1), end: j + 1 };
      }
    }
    throw new Error(`unterminated $( at ${String(at)}`);
  }
  if (next === '{') {
    const close = source.indexOf('}', at);
    if (close < 0) throw new Error(`unterminated \${ at ${String(at)}`);
    return { name: source.slice(at + 2, close), end: close + 1 };
  }
  const name = /^(?:[A-Za-z_]\w*|[0-9@*#?$!])/.exec(source.slice(at + 1));
  return name ? { name: name[0], end: at + 1 + name[0].length } : null;
}

/** Splits a shell script into simple commands of quoted words. */
function parseShell(source: string): Command[] {
  const commands: Command[] = [];
  const pending: { delimiter: string; strip: boolean; io: Command['io'] }[] =
    [];
  let words: Word[] = [];
  let word: Segment[] | null = null;
  let io: Command['io'] = {};
  let line = 0;
  let commandLine = 0;
  const add = (segment: Segment): void => {
    if (word === null) {
      word = [];
      if (words.length === 0) commandLine = line;
    }
    word.push(segment);
  };
  const endWord = (): void => {
    if (word !== null) words.push({ segments: word });
    word = null;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push({ words, line: commandLine, io });
    words = [];
    io = {};
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? '';
    if (c === '\\') {
      if (source[i + 1] === '\n') line++;
      else add({ kind: 'literal', text: source[i + 1] ?? '' });
      i += 2;
    } else if (c === "'") {
      const end = source.indexOf("'", i + 1);
      if (end < 0)
        throw new Error(`unterminated ' on line ${String(line + 1)}`);
      const text = source.slice(i + 1, end);
      add({ kind: 'single', text });
      line += text.split('\n').length - 1;
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      add({ kind: 'double', text: '' });
      for (; j < source.length && source[j] !== '"'; j++) {
        const d = source[j] ?? '';
        if (d === '\\' && '$`"\\\n'.includes(source[j + 1] ?? '')) {
          if (source[j + 1] === '\n') line++;
          else text += source[j + 1];
          j++;
        } else if (d === '$' && readExpansion(source, j) !== null) {
          const expansion = readExpansion(source, j);
          if (expansion === null) continue;
          add({ kind: 'double', text });
          text = '';
          add({ kind: 'expansion', name: expansion.name, quoted: true });
          j = expansion.end - 1;
        } else {
          if (d === '\n') line++;
          text += d;
        }
      }
      if (j >= source.length) {
        throw new Error(`unterminated " on line ${String(line + 1)}`);
      }
      add({ kind: 'double', text });
      i = j + 1;
    } else if (c === '$' && readExpansion(source, i) !== null) {
      const expansion = readExpansion(source, i);
      if (expansion === null) break;
      add({ kind: 'expansion', name: expansion.name, quoted: false });
      i = expansion.end;
    } else if (c === '#' && word === null) {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '\n') {
      endCommand();
      line++;
      i++;
      for (const heredoc of pending.splice(0)) {
        const body: string[] = [];
        while (i < source.length) {
          const end = source.indexOf('\n', i);
          const text = source.slice(i, end < 0 ? source.length : end);
          i = end < 0 ? source.length : end + 1;
          line++;
          const compared = heredoc.strip ? text.replace(/^\t+/, '') : text;
          if (compared === heredoc.delimiter) break;
          body.push(text);
        }
        heredoc.io.stdin = body.join('\n') + '\n';
      }
    } else if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === ';' || c === '&' || c === '|') {
      endCommand();
      i += source[i + 1] === c ? 2 : 1;
    } else if (
      c === '<' &&
      source.startsWith('<<', i) &&
      source[i + 2] !== '<'
    ) {
      endWord();
      const match = /^<<(-?)\s*(?:'([^']*)'|"([^"]*)"|([^\s;&|]+))/.exec(
        source.slice(i),
      );
      if (!match) throw new Error(`unreadable here-document`);
      pending.push({
        delimiter: match[2] ?? match[3] ?? match[4] ?? '',
        strip: match[1] === '-',
        io,
      });
      if (words.length === 0 && word === null) commandLine = line;
      i += match[0].length;
    } else if (c === '<' || c === '>') {
      endWord();
      add({ kind: 'literal', text: c });
      endWord();
      i++;
    } else {
      add({ kind: 'literal', text: c });
      i++;
    }
  }
  endCommand();
  return commands;
}

/** The options after which curl reads the request body. */
const CURL_DATA = new Set([
  '-d',
  '--data',
  '--data-binary',
  '--data-raw',
  '--data-ascii',
  '--json',
]);

/** The words of `command` curl sends as its body, if it is a curl. */
function curlBodies(words: Word[]): Word[] {
  const bodies: Word[] = [];
  for (let k = 1; k < words.length; k++) {
    const option = valueOf(words[k] ?? { segments: [] });
    const next = words[k + 1];
    if (CURL_DATA.has(option) && next !== undefined) {
      bodies.push(next);
      k++;
    } else if (/^--(?:data|data-binary|data-raw|json)=/.test(option)) {
      const word = words[k];
      if (word) bodies.push(dropPrefix(word, option.indexOf('=') + 1));
    }
  }
  return bodies;
}

function dropPrefix(word: Word, length: number): Word {
  const segments: Segment[] = [];
  let left = length;
  for (const segment of word.segments) {
    if (left > 0 && segment.kind !== 'expansion') {
      const cut = Math.min(left, segment.text.length);
      left -= cut;
      segments.push({ ...segment, text: segment.text.slice(cut) });
    } else {
      segments.push(segment);
    }
  }
  return { segments };
}

/** Words that only start a command without being its name. */
const COMMAND_PREFIX = new Set(['{', '(', 'do', 'then', 'else', '!', 'time']);

/** The command's words from its name on (assignments and keywords dropped). */
function commandWords(words: Word[]): Word[] {
  let k = 0;
  while (k < words.length) {
    const word = words[k];
    const value = word ? valueOf(word) : '';
    const first = word?.segments[0];
    if (COMMAND_PREFIX.has(value)) k++;
    else if (first?.kind === 'literal' && /^[A-Za-z_]\w*=/.test(value)) k++;
    else break;
  }
  return words.slice(k);
}

// ---------------------------------------------------------------------------
// GraphQL

let apiSchema: GraphQLSchema | undefined;

/** The schema clients see through the gateway: the supergraph's API schema and `Query.explain`. */
function gatewaySchema(): GraphQLSchema {
  apiSchema ??= withExplain(
    Supergraph.build(read('gateway/supergraph.graphql'))
      .apiSchema()
      .toGraphQLJSSchema(),
  ).schema;
  return apiSchema;
}

/** Problems of one operation document (and its variables) against the schema. */
function queryProblems(
  query: string,
  variables: unknown,
  operationName: unknown,
): { problems: string[]; definedVariables: Set<string> } {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return {
      problems: [`query does not parse: ${(error as Error).message}`],
      definedVariables: new Set(),
    };
  }
  const schema = gatewaySchema();
  const problems = validate(schema, document).map(
    (e) => `query does not validate: ${e.message}`,
  );
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const definedVariables = new Set(
    operations.flatMap((o) =>
      (o.variableDefinitions ?? []).map((v) => v.variable.name.value),
    ),
  );
  const operation =
    typeof operationName === 'string'
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
  if (problems.length === 0 && operation !== undefined) {
    if (
      variables !== undefined &&
      variables !== null &&
      (typeof variables !== 'object' || Array.isArray(variables))
    ) {
      problems.push('variables is not a JSON object');
    } else {
      const coerced = getVariableValues(
        schema,
        operation.variableDefinitions ?? [],
        (variables ?? {}) as Record<string, unknown>,
      );
      for (const error of coerced.errors ?? []) {
        problems.push(`variables: ${error.message}`);
      }
    }
  }
  return { problems, definedVariables };
}

/** Problems of a request body a reader's shell would send. */
function bodyProblems(body: Word, stdin: string | undefined): string[] {
  const meaningful = body.segments.filter(
    (s) => s.kind === 'expansion' || s.text !== '',
  );
  // `--data "$3"` inside a shell function: the caller's argument is checked.
  if (meaningful.every((s) => s.kind === 'expansion')) return [];
  let text = valueOf(body);
  if (text.startsWith('@')) {
    if (text !== '@-' || stdin === undefined) return []; // a file or a pipe
    text = stdin;
  }
  const problems: string[] = [];
  for (const segment of body.segments) {
    if (segment.kind === 'expansion' && !segment.quoted) {
      problems.push(
        `$${segment.name} is unquoted, so the shell splits and globs it: write "'"$${segment.name}"'" inside the JSON`,
      );
    }
  }
  const literalDollars = body.segments.flatMap((s) =>
    s.kind === 'single'
      ? [...s.text.matchAll(/\$(\{?[A-Za-z_]\w*)/g)].map((m) =>
          (m[1] ?? '').replace('{', ''),
        )
      : [],
  );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const hint = /"[^"\n]*\n/.test(text)
      ? ' (a line break inside a JSON string: keep the GraphQL on one line)'
      : '';
    return [
      ...problems,
      `the body is not valid JSON: ${(error as Error).message}${hint}`,
    ];
  }
  const requests = Array.isArray(json) ? json : [json];
  const defined = new Set<string>();
  for (const request of requests) {
    if (typeof request !== 'object' || request === null) continue;
    const { query, variables, operationName } = request as Record<
      string,
      unknown
    >;
    if (typeof query !== 'string') continue;
    const checked = queryProblems(query, variables, operationName);
    problems.push(...checked.problems);
    for (const name of checked.definedVariables) defined.add(name);
  }
  for (const name of literalDollars) {
    if (!defined.has(name)) {
      problems.push(
        `$${name} is inside single quotes, so the shell sends it as is: close the quotes around it ('"$${name}"')`,
      );
    }
  }
  return problems;
}

/**
 * Problems of every request the ```sh blocks of one file send: curl's
 * bodies, and the arguments of shell functions that pass one on to curl
 * (`gql() { curl … --data "$3"; }`).
 */
function shellProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  const wrappers = new Map<string, number>();
  for (const fence of readMarkdown(text).fences) {
    if (fence.lang !== 'sh' && fence.lang !== 'bash') continue;
    let commands: Command[];
    try {
      commands = parseShell(fence.body);
    } catch (error) {
      problems.push(
        `${file}:${String(fence.line)}: the shell cannot read this block: ${(error as Error).message}`,
      );
      continue;
    }
    let defining: string | null = null;
    for (const command of commands) {
      let words = command.words;
      const head = words[0] ? valueOf(words[0]) : '';
      const definition = /^([A-Za-z_]\w*)\(\)$/.exec(head);
      if (definition) {
        defining = definition[1] ?? null;
        words = words.slice(1);
      }
      words = commandWords(words);
      const name = words[0] ? valueOf(words[0]) : '';
      if (name === '}') {
        defining = null;
        continue;
      }
      const where = `${file}:${String(fence.line + command.line)}`;
      if (name === 'curl') {
        for (const body of curlBodies(words)) {
          const only = body.segments.filter(
            (s) => s.kind === 'expansion' || s.text !== '',
          );
          const positional =
            only.length === 1 && only[0]?.kind === 'expansion'
              ? /^[1-9]$/.exec(only[0].name)
              : null;
          if (defining !== null && positional) {
            wrappers.set(defining, Number(positional[0]));
          }
          for (const problem of bodyProblems(body, command.io.stdin)) {
            problems.push(`${where}: ${problem}`);
          }
        }
      } else if (wrappers.has(name)) {
        const argument = words[wrappers.get(name) ?? 0];
        if (argument === undefined) {
          problems.push(`${where}: ${name} is called without its body`);
          continue;
        }
        for (const problem of bodyProblems(argument, undefined)) {
          problems.push(`${where}: ${problem}`);
        }
      }
    }
  }
  return problems;
}

/** Problems of every ```graphql block of one file. */
function graphqlBlockProblems(file: string, text: string): string[] {
  return readMarkdown(text)
    .fences.filter((f) => f.lang === 'graphql')
    .flatMap((fence) =>
      queryProblems(fence.body, undefined, undefined).problems.map(
        (p) => `${file}:${String(fence.line)}: ${p}`,
      ),
    );
}

// ---------------------------------------------------------------------------
// Environment variables

/** Top-level keys of the object literal that opens at `source[open] === '{'`. */
function objectKeys(source: string, open: number): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = open; i < source.length; i++) {
    const c = source[i] ?? '';
    if (c === '\\') {
      i++; // an escape in a regular expression literal (`:\/\/`)
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      i = source.indexOf('*/', i) + 1;
      continue;
    }
    if (depth === 1 && expectKey && /\S/.test(c)) {
      expectKey = false;
      const key =
        /^(?:([A-Za-z_$][\w$]*)|'([^']+)'|"([^"]+)"|\[\s*([A-Za-z_$][\w$]*)\s*\])\s*:/.exec(
          source.slice(i),
        );
      if (key) keys.push(key[1] ?? key[2] ?? key[3] ?? `[${key[4] ?? ''}]`);
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c)
        j += source[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if (c === '{' || c === '(' || c === '[') {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth === 0) return keys;
    } else if (c === ',' && depth === 1) {
      expectKey = true;
    }
  }
  throw new Error('unterminated object literal');
}

/** A computed key `[NAME]`: the string constant NAME in a module `file` imports. */
function resolveConstant(file: string, name: string): string {
  const source = read(file);
  const candidates = [
    file,
    ...[...source.matchAll(/from\s+'(\.[^']+)'/g)].map((m) =>
      repoPath(
        resolve(root, dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts')),
      ),
    ),
  ];
  for (const candidate of candidates) {
    if (!existsSync(join(root, candidate))) continue;
    const match = new RegExp(
      `(?:export\\s+)?const\\s+${name}\\s*=\\s*'([^']+)'`,
    ).exec(read(candidate));
    if (match?.[1]) return match[1];
  }
  throw new Error(`${file}: cannot resolve the key [${name}]`);
}

interface EnvSchemas {
  /** Variable → the files whose schema accepts it. */
  variables: Map<string, string[]>;
  /** Every env.ts file found, with the schemas read from it. */
  files: Map<string, string[]>;
}

/**
 * The variables the environment schemas accept: the keys of every
 * `…EnvSchema = z.object({…})` in an `env.ts`, and the variables a main
 * parses inline with zod (`.safeParse(process.env['X'] …)`).
 */
function envSchemas(): EnvSchemas {
  const variables = new Map<string, string[]>();
  const files = new Map<string, string[]>();
  const accept = (name: string, file: string): void => {
    variables.set(name, [...(variables.get(name) ?? []), file]);
  };
  const sources = SOURCE_FOLDERS.filter((d) => d !== 'tests').flatMap((d) =>
    filesUnder(d, (p) => p.endsWith('.ts')),
  );
  for (const file of sources.filter((f) => f.endsWith('/env.ts'))) {
    const source = read(file);
    const schemas: string[] = [];
    for (const match of source.matchAll(
      /const\s+(\w*EnvSchema)\s*=\s*z\s*\.object\(\s*\{/g,
    )) {
      schemas.push(match[1] ?? '');
      const open = (match.index ?? 0) + match[0].length - 1;
      for (const key of objectKeys(source, open)) {
        const computed = /^\[(.+)\]$/.exec(key);
        accept(computed ? resolveConstant(file, computed[1] ?? '') : key, file);
      }
    }
    files.set(file, schemas);
  }
  for (const file of sources) {
    for (const match of read(file).matchAll(
      /\.(?:safeParse|parse)\(\s*process\.env\[['"](\w+)['"]\]/g,
    )) {
      accept(match[1] ?? '', file);
    }
  }
  return { variables, files };
}

/** Every variable some file reads with `process.env['X']` or `process.env.X`. */
function processEnvReads(): Map<string, string[]> {
  const reads = new Map<string, string[]>();
  const files = SOURCE_FOLDERS.flatMap((d) =>
    filesUnder(d, (p) => p.endsWith('.ts')),
  );
  for (const file of files) {
    if (file === 'tests/unit/docs/docs.test.ts') continue;
    for (const match of read(file).matchAll(
      /process\.env(?:\[['"](\w+)['"]\]|\.(\w+))/g,
    )) {
      const name = match[1] ?? match[2] ?? '';
      reads.set(name, [...(reads.get(name) ?? []), file]);
    }
  }
  return reads;
}

/** The backticked names in the first column of the table under `heading`. */
function tableNames(text: string, heading: string): string[] {
  const start = text.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `docs/configuration.md has no "${heading}"`);
  const after = text.slice(start + heading.length + 2);
  const next = after.search(/^#{1,6} /m);
  const section = next < 0 ? after : after.slice(0, next);
  return [...section.matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map((m) => m[1] ?? '');
}

function envNamesIn(text: string): string[] {
  return [...text.matchAll(ENV_NAME)].map((m) => {
    const name = m[0];
    return /^SUBGRAPH_[A-Z0-9_<>]+_URL$/.test(name)
      ? 'SUBGRAPH_<NAME>_URL'
      : name;
  });
}

// ---------------------------------------------------------------------------

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

describe('the documentation', () => {
  const files = markdownFiles();

  it('keeps README.md an entry page of at most 300 lines', () => {
    const text = read('README.md');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    assert.ok(
      lines <= README_MAX_LINES,
      `README.md has ${String(lines)} lines; move reference material to docs/`,
    );
  });

  it('gives every top-level folder a README', () => {
    const missing = SOURCE_FOLDERS.filter(
      (d) => !existsSync(join(root, d, 'README.md')),
    );
    assert.deepEqual(missing, []);
  });

  it('points every relative link at a file and heading that exist', () => {
    assert.ok(files.length >= 10, `only ${String(files.length)} files read`);
    const problems = files.flatMap((f) => brokenLinks(f, read(f)));
    assert.deepEqual(problems, []);
  });

  it('sends valid JSON with a valid query from every pasted curl', () => {
    const problems = files.flatMap((f) => shellProblems(f, read(f)));
    assert.deepEqual(problems, []);
  });

  it('validates every graphql block against the gateway API schema', () => {
    const problems = files.flatMap((f) => graphqlBlockProblems(f, read(f)));
    assert.deepEqual(problems, []);
  });

  it('names only npm scripts that exist', () => {
    const scripts = Object.keys(
      (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
        .scripts,
    );
    const problems: string[] = [];
    for (const file of files) {
      for (const match of read(file).matchAll(
        /\bnpm (?:run(?:\s+(?:-s|--silent))?\s+([\w:.-]+)(\*)?|(start|test)\b)/g,
      )) {
        const script = match[1] ?? match[3] ?? '';
        const ok =
          match[2] === '*'
            ? scripts.some((s) => s.startsWith(script))
            : scripts.includes(script);
        if (!ok) problems.push(`${file}: npm ${script} is not in package.json`);
      }
    }
    assert.deepEqual(sorted(problems), []);
  });
});

describe('docs/configuration.md', () => {
  const schemas = envSchemas();
  const config = read('docs/configuration.md');

  it('finds a zod schema in every env.ts', () => {
    assert.ok(schemas.files.size >= 4, 'fewer env.ts files than expected');
    for (const [file, found] of schemas.files) {
      assert.ok(found.length > 0, `${file}: no …EnvSchema = z.object({…})`);
    }
  });

  it('lists exactly the variables the environment schemas accept', () => {
    assert.deepEqual(
      sorted(tableNames(config, '## Variables')),
      sorted(schemas.variables.keys()),
    );
  });

  it('lists exactly the variables read outside the schemas, each with a reason', () => {
    assert.deepEqual(
      sorted(tableNames(config, '## Read outside the schemas')),
      sorted(Object.keys(READ_OUTSIDE_SCHEMAS)),
    );
  });

  it('documents every variable the code reads', () => {
    const unknown = [...processEnvReads()]
      .filter(
        ([name]) =>
          !schemas.variables.has(name) && !(name in READ_OUTSIDE_SCHEMAS),
      )
      .map(([name, where]) => `${name} (${sorted(where).join(', ')})`);
    assert.deepEqual(unknown, []);
  });

  it('knows every variable the docs name', () => {
    const problems = markdownFiles().flatMap((file) =>
      envNamesIn(read(file))
        .filter(
          (name) =>
            !schemas.variables.has(name) && !(name in READ_OUTSIDE_SCHEMAS),
        )
        .map((name) => `${file}: ${name}`),
    );
    assert.deepEqual(sorted(problems), []);
  });
});

describe('the docs checks themselves', () => {
  const sh = (body: string): string =>
    shellProblems('example.md', '```sh\n' + body + '```\n').join('\n');

  it('accept a one-line query with a double-quoted variable', () => {
    assert.equal(
      sh(
        `curl -s http://127.0.0.1:4000/graphql -H 'content-type: application/json' \\\n` +
          `  -d '{"query":"mutation($i: TokenRevocationInput!) { revokeTokens(input: $i) { id } }","variables":{"i":{"jti":"'"$JTI"'","reason":"lost"}}}'\n`,
      ),
      '',
    );
  });

  it('find a line break inside a JSON string', () => {
    assert.match(
      sh(
        `gql() { curl -s http://x -H "a: $1" --data "$2"; echo; }\n` +
          `gql "$T" '{"query":"{ region(code: \\"500103\\")\n  { name } }"}'\n`,
      ),
      /not valid JSON.*line break inside a JSON string/,
    );
  });

  it('find a variable left in single quotes, and one left unquoted', () => {
    const found = sh(
      `curl -d '{"query":"{ alert(id: \\"$ID\\") { id } }"}' http://x\n` +
        `curl -d '{"query":"{ alert(id: \\"'$ID'\\") { id } }"}' http://x\n`,
    );
    assert.match(found, /\$ID is inside single quotes/);
    assert.match(found, /\$ID is unquoted/);
  });

  it('find a query the schema does not have', () => {
    assert.match(
      sh(`curl -d '{"query":"{ noSuchField }"}' http://x\n`),
      /Cannot query field "noSuchField"/,
    );
  });

  it('find a missing file and a missing heading', () => {
    const found = brokenLinks(
      'README.md',
      '# Here\n\n[a](docs/nowhere.md) [b](docs/governance.md#nowhere) [c](#here)\n',
    );
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found.join('\n'), /no file docs\/nowhere\.md/);
    assert.match(found.join('\n'), /has no heading #nowhere/);
  });

  it('make GitHub anchors of headings', () => {
    assert.equal(
      slug("The gateway's decision, per request"),
      'the-gateways-decision-per-request',
    );
    assert.equal(
      slug('Scenario 1 after `npm start`'),
      'scenario-1-after-npm-start',
    );
    assert.equal(slug('数据共享 Negative list'), '数据共享-negative-list');
  });
});
