// An uploaded evidence document checked before anything is stored: a file
// name, an allowed content type, base64 that decodes to at most the
// configured size, and bytes that are what the content type says (detected
// by their signature with file-type; text must be UTF-8 without NUL).
import { createHash } from 'node:crypto';

import { fileTypeFromBuffer } from 'file-type';

import { BadUserInputError } from '../../subgraphs/kit/src/errors/GraphQLErrorWithCode.js';

/**
 * The content types an evidence document may have, with the extension
 * file-type detects for each (`null`: plain text, which has no signature).
 */
export const EVIDENCE_CONTENT_TYPES: Readonly<Record<string, string | null>> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
    'docx',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'text/plain': null,
};

/** The URI scheme under which a revision's evidence names an uploaded document. */
export const EVIDENCE_URI_PREFIX = 'evidence:';

/** The id an `evidence:` URI names, or `undefined` for any other URI (e.g. `doc://…`). */
export function evidenceDocumentIdOf(uri: string): string | undefined {
  return uri.startsWith(EVIDENCE_URI_PREFIX)
    ? uri.slice(EVIDENCE_URI_PREFIX.length)
    : undefined;
}

/** What an upload may be (`Query.algorithmEvidencePolicy`). */
export interface EvidencePolicy {
  /** The largest document, in bytes. */
  readonly maxBytes: number;
  /** The content types accepted: the keys of {@link EVIDENCE_CONTENT_TYPES}. */
  readonly contentTypes: readonly string[];
}

/** What an upload sends. */
export interface EvidenceUpload {
  readonly fileName: string;
  readonly contentType: string;
  readonly contentBase64: string;
}

/** An upload that passed every check. */
export interface CheckedEvidence {
  readonly fileName: string;
  readonly contentType: string;
  readonly content: Buffer;
  readonly sizeBytes: number;
  readonly sha256: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function refuse(
  message: string,
  reason: string,
  extensions: Record<string, unknown> = {},
): BadUserInputError {
  return new BadUserInputError(message, {
    argumentName: 'evidence',
    reason,
    ...extensions,
  });
}

/**
 * Checks an upload and decodes it; refuses, with `BAD_USER_INPUT` and an
 * `extensions.reason`, a file name that is empty, too long or a path
 * (`evidence-file-name`), a content type not allowed
 * (`evidence-type-not-allowed`, with `allowedTypes`), content that is not
 * base64 or empty (`evidence-malformed`), larger than `maxBytes`
 * (`evidence-too-large`, with `maxBytes`, checked before decoding), or bytes
 * that are not of the declared type (`evidence-content-mismatch`).
 */
export async function checkEvidenceUpload(
  upload: EvidenceUpload,
  maxBytes: number,
): Promise<CheckedEvidence> {
  const fileName = upload.fileName.trim();
  if (
    fileName === '' ||
    fileName.length > 255 ||
    /[/\\\p{Cc}]/u.test(fileName) ||
    fileName === '.' ||
    fileName === '..'
  ) {
    throw refuse(
      `The file name ${JSON.stringify(upload.fileName)} is not usable: give the document's name (1–255 characters, no path separators or control characters).`,
      'evidence-file-name',
    );
  }
  const contentType = upload.contentType.trim().toLowerCase();
  const allowedTypes = Object.keys(EVIDENCE_CONTENT_TYPES);
  if (!(contentType in EVIDENCE_CONTENT_TYPES)) {
    throw refuse(
      `Evidence of type ${JSON.stringify(upload.contentType)} is not accepted: upload a PDF, Word (.docx), PNG, JPEG or plain-text document (${allowedTypes.join(', ')}).`,
      'evidence-type-not-allowed',
      { allowedTypes },
    );
  }
  const encoded = upload.contentBase64.replace(/\s+/g, '');
  if (encoded === '' || encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    throw refuse(
      'contentBase64 must be the document encoded as standard base64 (RFC 4648), not empty.',
      'evidence-malformed',
    );
  }
  const padding = encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0;
  const sizeBytes = (encoded.length / 4) * 3 - padding;
  if (sizeBytes > maxBytes) {
    throw refuse(
      `The document is ${String(sizeBytes)} bytes, more than the ${String(maxBytes)} bytes an evidence document may have (REGISTRY_EVIDENCE_MAX_BYTES).`,
      'evidence-too-large',
      { maxBytes, sizeBytes },
    );
  }
  const content = Buffer.from(encoded, 'base64');
  const expected = EVIDENCE_CONTENT_TYPES[contentType];
  const detected = await fileTypeFromBuffer(content);
  const matches =
    expected === null
      ? detected === undefined && isUtf8Text(content)
      : detected?.ext === expected;
  if (!matches) {
    throw refuse(
      `The document's bytes are not ${contentType}${detected === undefined ? '' : ` (they look like ${detected.mime})`}: declare the type it has, or upload the document in an accepted type.`,
      'evidence-content-mismatch',
      { contentType, ...(detected ? { detectedType: detected.mime } : {}) },
    );
  }
  return {
    fileName,
    contentType,
    content,
    sizeBytes: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
  };
}

function isUtf8Text(content: Buffer): boolean {
  if (content.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return true;
  } catch {
    return false;
  }
}
