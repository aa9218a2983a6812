// Where the evidence documents of a filing open from. The evidence store
// (documents uploaded on submission, kept with a size limit and their
// SHA-256 in PostgreSQL, served through the gateway) plugs in here: until
// the API serves documents, an evidence entry is a reference (`doc://…`)
// and there is nothing to open, which the page says.

/** An evidence entry as the filing lists it. */
export interface EvidenceRef {
  readonly kind: string;
  readonly title: string;
  readonly uri: string;
}

/** How one evidence entry can be opened, or why not. */
export type EvidenceLink =
  | {
      readonly kind: 'open';
      readonly href: string;
      readonly sha256: string | null;
    }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** The link of an evidence entry: none yet for a `doc://` reference. */
export function evidenceLink(evidence: EvidenceRef): EvidenceLink {
  if (evidence.uri.startsWith('doc://')) {
    return {
      kind: 'unavailable',
      reason: '该材料仅有登记引用，文件尚未上传到证明材料库，暂不能在线打开。',
    };
  }
  return { kind: 'unavailable', reason: '无法识别的材料地址。' };
}
