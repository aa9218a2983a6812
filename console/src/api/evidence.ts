// Evidence documents of a filing, in the browser: a file is checked against
// what the server accepts (`Query.algorithmEvidencePolicy`: the size limit
// and the content types) before anything is sent, read and encoded for
// `attachAlgorithmEvidence`; an opened document's bytes are checked against
// the SHA-256 the registry stored with them. No limit or type is copied
// here: they come from the server.

/** An evidence entry as the filing lists it. */
export interface EvidenceRef {
  readonly kind: string;
  readonly title: string;
  readonly uri: string;
  /** The uploaded document, `null` for a reference given only as a URI (`doc://…`). */
  readonly document: EvidenceDocumentSummary | null;
}

/** What the filing page shows of an uploaded document. */
export interface EvidenceDocumentSummary {
  readonly id: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
}

/** How one evidence entry can be opened, or why not. */
export type EvidenceLink =
  | { readonly kind: 'open'; readonly document: EvidenceDocumentSummary }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** Whether an evidence entry opens: an uploaded document does, a reference does not. */
export function evidenceLink(evidence: EvidenceRef): EvidenceLink {
  if (evidence.document !== null) {
    return { kind: 'open', document: evidence.document };
  }
  if (evidence.uri.startsWith('doc://')) {
    return {
      kind: 'unavailable',
      reason:
        '该材料仅有登记引用（文档系统地址），文件未上传到证明材料库，不能在线打开。',
    };
  }
  return { kind: 'unavailable', reason: '无法识别的材料地址。' };
}

/** What the server accepts as an evidence document. */
export interface EvidencePolicy {
  readonly maxBytes: number;
  readonly contentTypes: readonly string[];
}

/** A file as the browser gives it: name, declared type, size. */
export interface FileFacts {
  readonly name: string;
  readonly type: string;
  readonly size: number;
}

/**
 * Why `file` may not be uploaded under `policy`, in Chinese, or `null`
 * when it may: the same limit and types the server checks, so a file it
 * would refuse is refused before it is sent.
 */
export function evidenceFileProblem(
  file: FileFacts,
  policy: EvidencePolicy,
): string | null {
  const type = file.type.trim().toLowerCase();
  if (!policy.contentTypes.includes(type)) {
    return `文件“${file.name}”的类型${type === '' ? '无法识别' : `（${type}）`}不在允许范围内：请上传 ${policy.contentTypes.map(contentTypeName).join('、')} 格式的文件。`;
  }
  if (file.size === 0) {
    return `文件“${file.name}”是空文件，请选择有内容的文件。`;
  }
  if (file.size > policy.maxBytes) {
    return `文件“${file.name}”大小为 ${formatBytes(file.size)}，超过证明材料的上限 ${formatBytes(policy.maxBytes)}：请压缩或拆分后再上传。`;
  }
  return null;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
    'Word（.docx）',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'text/plain': '纯文本',
};

/** A content type's short Chinese name (the type itself for one without). */
export function contentTypeName(type: string): string {
  return TYPE_NAMES[type] ?? type;
}

/** A size in bytes for people: `812 B`, `1.5 KiB`, `5.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Bytes as standard base64 (RFC 4648), as the API takes them. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** The bytes of standard base64, as the API sends a document's content. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** SHA-256 of `bytes`, hex (Web Crypto: a secure context, which the console's origins are). */
export async function sha256Hex(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}
