import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mergeJunitReports } from '../../junitReport.js';

// Two workers' documents as Node 20's `junit` reporter writes them
// (`node --test-reporter=junit`, a file run by tests/inProcess.ts being a
// suite named by its path), the second with a failure.
const first = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
	<testsuite name="/repo/tests/e2e/a.e2e.test.ts" time="31.402196" disabled="0" errors="0" tests="2" failures="0" skipped="0" hostname="vm">
		<testcase name="answers" time="0.000670" classname="test"/>
		<testsuite name="inner" time="0.000347" disabled="0" errors="0" tests="1" failures="0" skipped="0" hostname="vm">
			<testcase name="x &amp; &lt;y>" time="0.000140" classname="test"/>
			<!-- stall: 201 requests, slowest answered in 4030 ms -->
		</testsuite>
	</testsuite>
	<!-- tests 2 -->
	<!-- suites 2 -->
	<!-- pass 2 -->
	<!-- fail 0 -->
	<!-- cancelled 0 -->
	<!-- skipped 0 -->
	<!-- todo 0 -->
	<!-- duration_ms 31421.881102 -->
</testsuites>
`;
const second = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
	<testsuite name="/repo/tests/e2e/b.e2e.test.ts" time="0.000474" disabled="0" errors="0" tests="1" failures="1" skipped="0" hostname="vm">
		<testcase name="fails" time="0.000268" classname="test" failure="boom &lt;1>">
			<failure type="testCodeFailure" message="boom &lt;1>">
Error [ERR_TEST_FAILURE]: boom &lt;1>
    at new Promise (&lt;anonymous>)
			</failure>
		</testcase>
	</testsuite>
	<!-- tests 1 -->
	<!-- suites 1 -->
	<!-- pass 0 -->
	<!-- fail 1 -->
	<!-- cancelled 0 -->
	<!-- skipped 0 -->
	<!-- todo 0 -->
	<!-- duration_ms 12.1 -->
</testsuites>
`;

/** The elements between the root's tags, line by line. */
function inner(xml: string): string[] {
  const lines = xml.trimEnd().split('\n');
  return lines.slice(2, -1);
}

describe('mergeJunitReports', () => {
  it('joins the workers’ test suites, whole and in order, under one root that counts them', () => {
    const merged = mergeJunitReports([first, second]);
    const lines = merged.split('\n');
    assert.equal(lines[0], '<?xml version="1.0" encoding="utf-8"?>');
    assert.equal(lines[1], '<testsuites tests="3" failures="1">');
    assert.equal(merged.endsWith('</testsuites>\n'), true);
    assert.deepEqual(inner(merged), [
      ...first.split('\n').slice(2, 9),
      ...second.split('\n').slice(2, 10),
    ]);
    // One root: the workers' own roots and declarations are gone.
    assert.equal(merged.match(/<testsuites\b/g)?.length, 1);
    assert.equal(merged.match(/<\?xml/g)?.length, 1);
    // Each file's suite keeps its name and time.
    assert.match(
      merged,
      /<testsuite name="\/repo\/tests\/e2e\/a\.e2e\.test\.ts" time="31\.402196"/,
    );
  });

  it('leaves out the per-worker summary comments, which would not add up, and keeps the tests’ diagnostics', () => {
    const merged = mergeJunitReports([first, second]);
    assert.deepEqual(merged.match(/<!--.*-->/g), [
      '<!-- stall: 201 requests, slowest answered in 4030 ms -->',
    ]);
  });

  it('gives nothing for a worker whose document never ended (no tests of its own)', () => {
    // What the reporter has written while its tests still run, or when its
    // process died before they ended.
    const begun = '<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n';
    assert.equal(
      mergeJunitReports([begun, second]),
      mergeJunitReports([second]),
    );
    assert.equal(
      mergeJunitReports(['', begun]),
      '<?xml version="1.0" encoding="utf-8"?>\n<testsuites tests="0" failures="0">\n</testsuites>\n',
    );
  });
});
