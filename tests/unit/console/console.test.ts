// The web console's pure parts and its production build: a Chinese message
// for every error code the hub sends, the filing actions it offers (from
// the registry's own model until the server lists them), paging plumbing
// folded away, and a build that loads nothing from another origin.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import {
  ERROR_MESSAGES,
  REASON_MESSAGES,
  UNKNOWN_ERROR,
  errorMessageOf,
} from '../../../console/src/api/errorMessages.js';
import {
  base64ToBytes,
  bytesToBase64,
  contentTypeName,
  evidenceFileProblem,
  evidenceLink,
  formatBytes,
  sha256Hex,
} from '../../../console/src/api/evidence.js';
import { EVIDENCE_CONTENT_TYPES } from '../../../catalog/src/evidenceDocument.js';
import { allowedFilingActions } from '../../../console/src/api/allowedActions.js';
import type { TokenClaims } from '../../../console/src/auth/claims.js';
import { joinCsvPages } from '../../../console/src/pages/auditor/csv.js';
import { fragmentParts } from '../../../console/src/pages/duty/highlight.js';
import { isPlumbing } from '../../../console/src/pages/reviewer/plumbing.js';
import { accessRecordsCsv } from '../../../policies/store/src/audit/accessRecords.js';
import { ErrorCode } from '../../../subgraphs/kit/src/index.js';

const DIST = join(import.meta.dirname, '../../../console/dist');

const reviewer: TokenClaims = {
  sub: 'algorithm-reviewer',
  dept: 'cac',
  roles: ['algorithm-reviewer'],
  purposes: ['algorithm-review'],
  level: 'CITY',
  region: '500000',
  name: null,
};

describe('the console’s error messages', () => {
  it('has a Chinese title and next step for every code the hub sends, and no other', () => {
    assert.deepEqual(
      Object.keys(ERROR_MESSAGES).sort(),
      Object.values(ErrorCode).sort(),
    );
    for (const [code, message] of Object.entries(ERROR_MESSAGES)) {
      assert.match(message.title, /\p{Script=Han}/u, code);
      assert.match(message.next, /\p{Script=Han}.*。$/u, code);
    }
  });

  it('falls back to a general message for an unknown or missing code', () => {
    assert.equal(errorMessageOf('NO_SUCH_CODE'), UNKNOWN_ERROR);
    assert.equal(errorMessageOf(undefined), UNKNOWN_ERROR);
    assert.equal(errorMessageOf('toString'), UNKNOWN_ERROR);
    assert.equal(errorMessageOf('CONFLICT'), ERROR_MESSAGES.CONFLICT);
  });
});

describe('evidence documents in the console', () => {
  it('has a Chinese message for every reason the catalog refuses an upload with', () => {
    const source = readFileSync(
      join(import.meta.dirname, '../../../catalog/src/evidenceDocument.ts'),
      'utf8',
    );
    const reasons = [
      ...new Set(
        [...source.matchAll(/'(evidence-[a-z-]+)'/g)].map((m) => m[1]),
      ),
    ].sort();
    assert.ok(reasons.length >= 5, reasons.join());
    assert.deepEqual(Object.keys(REASON_MESSAGES).sort(), reasons);
    for (const [reason, message] of Object.entries(REASON_MESSAGES)) {
      assert.match(message.title, /\p{Script=Han}/u, reason);
      assert.match(message.next, /\p{Script=Han}.*。$/u, reason);
      assert.equal(errorMessageOf('BAD_USER_INPUT', reason), message);
    }
    // A reason only refines BAD_USER_INPUT; an unknown one keeps the code's.
    assert.equal(
      errorMessageOf('BAD_USER_INPUT', 'no-such-reason'),
      ERROR_MESSAGES.BAD_USER_INPUT,
    );
    assert.equal(
      errorMessageOf('CONFLICT', 'evidence-too-large'),
      ERROR_MESSAGES.CONFLICT,
    );
  });

  it('refuses a file over the server’s limit or of a type it does not take, before sending', () => {
    const policy = {
      maxBytes: 1024,
      contentTypes: Object.keys(EVIDENCE_CONTENT_TYPES),
    };
    for (const type of policy.contentTypes) {
      assert.match(contentTypeName(type), /^(PDF|Word|PNG|JPEG|纯文本)/, type);
    }
    assert.equal(
      evidenceFileProblem(
        { name: 'a.txt', type: 'text/plain', size: 1024 },
        policy,
      ),
      null,
    );
    assert.equal(
      evidenceFileProblem(
        { name: 'a.PDF', type: 'Application/PDF', size: 1 },
        policy,
      ),
      null,
    );
    assert.match(
      evidenceFileProblem(
        { name: 'a.txt', type: 'text/plain', size: 1025 },
        policy,
      ) ?? '',
      /超过证明材料的上限 1\.0 KiB/,
    );
    assert.match(
      evidenceFileProblem(
        { name: 'a.zip', type: 'application/zip', size: 10 },
        policy,
      ) ?? '',
      /类型（application\/zip）不在允许范围内/,
    );
    assert.match(
      evidenceFileProblem({ name: 'a', type: '', size: 10 }, policy) ?? '',
      /类型无法识别/,
    );
    assert.match(
      evidenceFileProblem(
        { name: 'a.txt', type: 'text/plain', size: 0 },
        policy,
      ) ?? '',
      /空文件/,
    );
    assert.equal(formatBytes(812), '812 B');
    assert.equal(formatBytes(5 * 1024 * 1024), '5.0 MiB');
  });

  it('encodes, decodes and hashes a document as the server does', async () => {
    const bytes = new Uint8Array(70_000);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 7) % 256;
    const base64 = bytesToBase64(bytes);
    assert.equal(base64, Buffer.from(bytes).toString('base64'));
    assert.deepEqual(base64ToBytes(base64), bytes);
    assert.equal(
      await sha256Hex(bytes),
      createHash('sha256').update(bytes).digest('hex'),
    );
  });

  it('opens uploaded documents; a doc:// reference says why it does not', () => {
    const document = {
      id: 'EVD-1',
      fileName: '影响评估.txt',
      contentType: 'text/plain',
      sizeBytes: 3,
      sha256: 'a'.repeat(64),
      uploadedBy: 'environment-algorithm-owner',
      uploadedAt: '2026-12-04T02:00:00.000Z',
    };
    assert.deepEqual(
      evidenceLink({
        kind: 'OTHER',
        title: 't',
        uri: 'evidence:EVD-1',
        document,
      }),
      { kind: 'open', document },
    );
    const reference = evidenceLink({
      kind: 'OTHER',
      title: 't',
      uri: 'doc://x/y',
      document: null,
    });
    assert.equal(reference.kind, 'unavailable');
  });
});

describe('the filing actions the console offers', () => {
  const filing = {
    ownerDepartment: 'environment',
    submittedBy: 'environment-algorithm-owner',
  };
  const actions = (
    state: Parameters<typeof allowedFilingActions>[0]['state'],
    claims = reviewer,
    extra = {},
  ) =>
    allowedFilingActions({ ...filing, state, ...extra }, claims).map(
      (a) => a.action,
    );

  it('follows the registry’s lifecycle and rules, asking to confirm filing and retiring', () => {
    assert.deepEqual(actions('SUBMITTED'), ['START_REVIEW']);
    assert.deepEqual(actions('UNDER_REVIEW'), ['FILE', 'RETURN']);
    assert.deepEqual(actions('IN_SERVICE'), ['SUSPEND', 'RETIRE']);
    assert.deepEqual(actions('RETIRED'), []);
    const offered = allowedFilingActions(
      { ...filing, state: 'UNDER_REVIEW' },
      reviewer,
    );
    assert.deepEqual(
      offered.map((a) => [a.action, a.needsComment, a.irreversible]),
      [
        ['FILE', false, true],
        ['RETURN', true, false],
      ],
    );
    // Never a filing of the reviewer's own department (reviewer independence).
    assert.deepEqual(
      actions('SUBMITTED', { ...reviewer, dept: 'environment' }),
      [],
    );
    // The owner department submits; it never reviews.
    assert.deepEqual(
      actions('DRAFT', {
        ...reviewer,
        sub: 'environment-algorithm-owner',
        dept: 'environment',
        roles: ['algorithm-owner'],
      }),
      ['SUBMIT'],
    );
  });

  it('takes the server’s list when the filing carries one', () => {
    assert.deepEqual(
      actions('UNDER_REVIEW', reviewer, { allowedActions: ['RETURN'] }),
      ['RETURN'],
    );
  });
});

describe('the filing page’s inputs', () => {
  it('folds away paging plumbing, not data', () => {
    for (const c of [
      'PageInfo.endCursor',
      'ReadingConnection.nodes',
      'ReadingConnection.totalCount',
      'ComplaintEdge.cursor',
    ]) {
      assert.equal(isPlumbing(c), true, c);
    }
    for (const c of ['Reading.value', 'Query.monitoringSection']) {
      assert.equal(isPlumbing(c), false, c);
    }
  });
});

describe('the auditor’s and the duty officer’s pages', () => {
  it('joins the CSV pages of the access log under one header line', () => {
    const header = accessRecordsCsv([]);
    const page = (rows: string[]) => `${header}${rows.join('\r\n')}\r\n`;
    const joined = joinCsvPages([
      page(['1,a', '2,"multi\r\nline"']),
      page(['3,b']),
    ]);
    assert.equal(joined, `${header}1,a\r\n2,"multi\r\nline"\r\n3,b\r\n`);
    assert.equal(joined.split(header).length, 2, 'the header once');
  });

  it('shows a search fragment’s matches as text, never as HTML', () => {
    assert.deepEqual(fragmentParts('重庆<em>危化</em>品 &lt;b&gt;&amp;'), [
      { text: '重庆', match: false },
      { text: '危化', match: true },
      { text: '品 <b>&', match: false },
    ]);
  });
});

describe('the console’s production build', () => {
  /**
   * Absolute URLs the bundled libraries carry that the browser never
   * fetches: XML namespaces (identifiers) and links inside error messages.
   */
  const NOT_FETCHED = new Set([
    'http://www.w3.org/2000/svg',
    'http://www.w3.org/1999/xlink',
    'http://www.w3.org/XML/1998/namespace',
    'http://www.w3.org/1998/Math/MathML',
    'https://react.dev/errors/',
    'https://casl.js.org/v6/en/api/casl-ability#can-of-ability',
    'https://bit.ly/390miLa',
    // graphql-js's messages (duplicate modules, Float coercion) and a description.
    'https://yarnpkg.com/en/docs/selective-version-resolutions',
    'https://en.wikipedia.org/wiki/IEEE_floating_point',
    'https://commonmark.org/',
    // oidc-client-ts parses a callback URL relative to a placeholder base.
    'http://127.0.0.1',
  ]);

  it('loads nothing from another origin: no external URL in the page, the styles or the scripts', () => {
    assert.ok(
      existsSync(join(DIST, 'index.html')),
      'console/dist is missing: run `npm run build:web`',
    );
    const files = [
      'index.html',
      ...readdirSync(join(DIST, 'assets')).map((f) => `assets/${f}`),
    ];
    assert.ok(files.some((f) => f.endsWith('.js')));
    assert.ok(files.some((f) => f.endsWith('.css')));
    for (const file of files) {
      const text = readFileSync(join(DIST, file), 'utf8');
      const urls = [
        ...text.matchAll(
          /(?:https?:)?\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s"'`)<>\\]*/gi,
        ),
      ]
        .map((m) => m[0])
        .filter((url) => /^(https?:)?\/\//i.test(url));
      if (file.endsWith('.js')) {
        const external = urls.filter(
          (url) => url.startsWith('http') && !NOT_FETCHED.has(url),
        );
        assert.deepEqual(external, [], file);
      } else {
        // The page and the styles: no absolute or protocol-relative URL.
        assert.deepEqual(urls, [], file);
      }
    }
  });
});
