// One JUnit XML report for a run of tests/run.ts. Node's own `junit`
// reporter writes one document per process: with `--isolation none` one per
// worker, where each file is a <testsuite> named by its path
// (tests/inProcess.ts runs each file as a suite of that name), and
// mergeJunitReports joins the workers' documents into one, each file's
// <testsuite> whole, as CI servers read it; with `--isolation process` the
// runner's one document is the report as it is (there Node 20 lists each
// file's top-level suites, not the file).

const OPEN = '<testsuites>';
const CLOSE = '</testsuites>';
/** A line of the reporter's summary: a comment one level into the root. */
const SUMMARY =
  /^\t<!-- (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) [\d.]+ -->$/;

/**
 * The <testsuite> and <testcase> elements of one document of Node's
 * `junit` reporter, without its summary comments (`<!-- tests 2 -->`, …,
 * children of the root: one set per worker, which would not add up once
 * joined). The tests' own diagnostics, comments within their suites, stay.
 * The reporter writes its document whole when its process's tests end; a
 * process that died before (no document, or none complete) gives nothing:
 * its files are missing from the report, and the run has failed.
 */
function suitesOf(xml: string): string {
  const open = xml.indexOf(OPEN);
  const close = xml.lastIndexOf(CLOSE);
  if (open === -1 || close < open) return '';
  const body = xml.slice(open + OPEN.length, close);
  return body
    .split('\n')
    .filter((line) => line.trim() !== '' && !SUMMARY.test(line))
    .join('\n');
}

/** Counts of the joined report, the root element's attributes. */
function countOf(body: string, pattern: RegExp): number {
  return body.match(pattern)?.length ?? 0;
}

/**
 * Joins documents of Node's `junit` reporter into one <testsuites>
 * document whose root counts the tests and failures of all of them.
 */
export function mergeJunitReports(documents: readonly string[]): string {
  const body = documents
    .map(suitesOf)
    .filter((s) => s !== '')
    .join('\n');
  const tests = countOf(body, /<testcase\b/g);
  const failures = countOf(body, /<failure\b/g);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<testsuites tests="${String(tests)}" failures="${String(failures)}">`,
    ...(body === '' ? [] : [body]),
    CLOSE,
    '',
  ].join('\n');
}
