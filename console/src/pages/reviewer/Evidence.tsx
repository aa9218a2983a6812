// A filing's evidence: the documents listed with name, size, content type
// and SHA-256; one opens through the gateway (the user's token, governed
// and access-logged like any read), its bytes checked against the stored
// hash, shown (text, images) or downloaded with its content type; and, on
// a draft its owner may edit, the upload, checked against the server's
// limit and types before anything is sent.
import { UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Descriptions,
  Empty,
  Flex,
  Input,
  List,
  Modal,
  Select,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useState } from 'react';

import { RequestError, request } from '../../api/client.js';
import {
  base64ToBytes,
  bytesToBase64,
  contentTypeName,
  evidenceFileProblem,
  evidenceLink,
  formatBytes,
  sha256Hex,
  type EvidenceDocumentSummary,
  type EvidenceRef,
} from '../../api/evidence.js';
import { useQuery } from '../../api/useQuery.js';
import { useFeedback } from '../../feedback.js';
import type { EnumOf } from '../../graphql/graphql.js';
import { EVIDENCE_LABELS, formatTime, label } from '../../labels.js';
import {
  AttachEvidenceMutation,
  EvidenceContentQuery,
  EvidencePolicyQuery,
} from './operations.js';

/** A document opened: its bytes as the gateway sent them, and whether they still have their hash. */
interface Opened {
  readonly document: EvidenceDocumentSummary;
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly sha256: string;
}

/** What of an opened document the page can show itself. */
function Preview({ opened }: { opened: Opened }) {
  const type = opened.document.contentType;
  if (type === 'text/plain') {
    return (
      <pre className="evidence-text" data-testid="evidence-text">
        {new TextDecoder('utf-8').decode(opened.bytes)}
      </pre>
    );
  }
  if (type === 'image/png' || type === 'image/jpeg') {
    return (
      <img
        className="evidence-image"
        data-testid="evidence-image"
        alt={opened.document.fileName}
        src={`data:${type};base64,${bytesToBase64(opened.bytes)}`}
      />
    );
  }
  return (
    <Typography.Text type="secondary">
      {contentTypeName(type)} 文件不在页面内预览，请下载后用本机软件打开。
    </Typography.Text>
  );
}

/** The opened document in a dialog: its facts, the hash check, the content and a download. */
function EvidenceViewer({
  opened,
  onClose,
}: {
  opened: Opened;
  onClose: () => void;
}) {
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    const url = URL.createObjectURL(
      new Blob([opened.bytes], { type: opened.document.contentType }),
    );
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [opened]);
  const intact = opened.sha256 === opened.document.sha256;
  return (
    <Modal
      open
      title={opened.document.fileName}
      onCancel={onClose}
      width={760}
      footer={[
        <Button key="close" onClick={onClose} data-testid="evidence-close">
          关闭
        </Button>,
        <Button
          key="download"
          type="primary"
          {...(href === null ? {} : { href })}
          download={opened.document.fileName}
          disabled={href === null}
          data-testid="evidence-download"
        >
          下载
        </Button>,
      ]}
    >
      <Flex vertical gap={12} data-testid="evidence-viewer">
        <Descriptions
          size="small"
          column={1}
          items={[
            {
              key: 'type',
              label: '文件类型',
              children: (
                <span data-testid="evidence-viewer-type">
                  {opened.document.contentType}
                </span>
              ),
            },
            {
              key: 'size',
              label: '大小',
              children: `${formatBytes(opened.bytes.length)}（${String(opened.bytes.length)} 字节）`,
            },
            {
              key: 'sha',
              label: 'SHA-256',
              children: (
                <span className="mono small" data-testid="evidence-viewer-sha">
                  {opened.sha256}
                </span>
              ),
            },
          ]}
        />
        <Alert
          data-testid="evidence-integrity"
          data-intact={String(intact)}
          type={intact ? 'success' : 'error'}
          title={
            intact
              ? '文件内容与备案时登记的 SHA-256 一致。'
              : `文件内容与登记的 SHA-256（${opened.document.sha256}）不一致，可能已被篡改：请勿采信，并联系运维核查。`
          }
        />
        <Preview opened={opened} />
      </Flex>
    </Modal>
  );
}

/**
 * The evidence of a revision: each entry's kind and title; an uploaded
 * document's name, size, type and SHA-256 with 打开; a reference without a
 * document says why it does not open.
 */
export function EvidenceList({
  evidence,
}: {
  evidence: readonly EvidenceRef[];
}) {
  const feedback = useFeedback();
  const [opening, setOpening] = useState<string | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  if (evidence.length === 0) return <Empty description="未附证明材料。" />;
  const open = async (document: EvidenceDocumentSummary): Promise<void> => {
    setOpening(document.id);
    feedback.clear();
    try {
      const { data, errors } = await request(EvidenceContentQuery, {
        id: document.id,
      });
      const found = data.algorithmEvidenceDocument;
      if (found === null) {
        // Withheld (e.g. FORBIDDEN, rule registry:evidence-readers) or gone.
        feedback.showError(
          new RequestError(
            errors.length > 0
              ? errors
              : [
                  {
                    message: `Evidence document ${document.id} was not found.`,
                    extensions: { code: 'NOT_FOUND' },
                  },
                ],
          ),
        );
        return;
      }
      const bytes = base64ToBytes(found.contentBase64);
      setOpened({
        document: { ...document, ...found },
        bytes,
        sha256: await sha256Hex(bytes),
      });
    } catch (error) {
      feedback.showError(error);
    } finally {
      setOpening(null);
    }
  };
  return (
    <>
      <List
        data-testid="evidence"
        dataSource={[...evidence]}
        renderItem={(e) => {
          const link = evidenceLink(e);
          return (
            <List.Item
              data-testid={`evidence-${e.kind}`}
              actions={[
                link.kind === 'open' ? (
                  <Button
                    size="small"
                    loading={opening === link.document.id}
                    onClick={() => void open(link.document)}
                    data-testid={`evidence-open-${link.document.id}`}
                  >
                    打开
                  </Button>
                ) : (
                  <Tooltip title={link.reason}>
                    <Button
                      size="small"
                      disabled
                      data-testid="evidence-unavailable"
                    >
                      打开
                    </Button>
                  </Tooltip>
                ),
              ]}
            >
              <Flex vertical gap={2}>
                <Flex gap={8} wrap align="center">
                  <Tag>{label(EVIDENCE_LABELS, e.kind)}</Tag>
                  <span>{e.title}</span>
                </Flex>
                {link.kind === 'open' ? (
                  <Typography.Text
                    type="secondary"
                    className="small"
                    data-testid="evidence-document"
                  >
                    <span data-testid="evidence-file-name">
                      {link.document.fileName}
                    </span>{' '}
                    · {formatBytes(link.document.sizeBytes)} ·{' '}
                    <span data-testid="evidence-content-type">
                      {link.document.contentType}
                    </span>{' '}
                    · {link.document.uploadedBy} 上传于{' '}
                    {formatTime(link.document.uploadedAt)}
                    <br />
                    SHA-256{' '}
                    <span className="mono" data-testid="evidence-sha256">
                      {link.document.sha256}
                    </span>
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary" className="mono small">
                    {e.uri}
                  </Typography.Text>
                )}
              </Flex>
            </List.Item>
          );
        }}
      />
      {opened === null ? null : (
        <EvidenceViewer opened={opened} onClose={() => setOpened(null)} />
      )}
    </>
  );
}

type EvidenceKind = EnumOf<'EvidenceKind'>;

/** A file chosen for upload, read in the browser. */
interface Chosen {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly base64: string;
}

/**
 * Uploads a document as evidence of a draft (`attachAlgorithmEvidence`):
 * a file over the server's limit or of a type it does not take is refused
 * here, before anything is sent.
 */
export function EvidenceUpload({
  filingId,
  version,
  onUploaded,
}: {
  filingId: string;
  version: number;
  onUploaded: (notice: string) => Promise<void>;
}) {
  const feedback = useFeedback();
  const policyQuery = useQuery(EvidencePolicyQuery, {});
  const policy = policyQuery.data?.algorithmEvidencePolicy ?? null;
  const [kind, setKind] = useState<EvidenceKind>('IMPACT_ASSESSMENT');
  const [title, setTitle] = useState('');
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (policyQuery.error !== null) feedback.showError(policyQuery.error);
  }, [policyQuery.error]);
  const choose = async (file: File): Promise<void> => {
    setChosen(null);
    if (policy === null) {
      setProblem('尚未取得上传限制，请稍候再选择文件。');
      return;
    }
    const refused = evidenceFileProblem(file, policy);
    setProblem(refused);
    if (refused !== null) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    setChosen({
      name: file.name,
      type: file.type.trim().toLowerCase(),
      size: file.size,
      base64: bytesToBase64(bytes),
    });
    if (title.trim() === '') setTitle(file.name.replace(/\.[^.]+$/, ''));
  };
  const send = async (): Promise<void> => {
    if (chosen === null) return;
    setBusy(true);
    feedback.clear();
    try {
      await request(AttachEvidenceMutation, {
        id: filingId,
        version,
        evidence: {
          kind,
          title: title.trim() === '' ? chosen.name : title.trim(),
          fileName: chosen.name,
          contentType: chosen.type,
          contentBase64: chosen.base64,
        },
      });
      setChosen(null);
      setTitle('');
      await onUploaded(
        `已上传证明材料“${chosen.name}”（${formatBytes(chosen.size)}），已记录其 SHA-256。`,
      );
    } catch (error) {
      feedback.showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex vertical gap={8} data-testid="evidence-upload">
      <Typography.Text type="secondary" data-testid="evidence-policy">
        {policy === null
          ? '正在读取上传限制…'
          : `可上传 ${policy.contentTypes.map(contentTypeName).join('、')}，单个文件不超过 ${formatBytes(policy.maxBytes)}。`}
      </Typography.Text>
      <Flex gap={8} wrap>
        <Select<EvidenceKind>
          value={kind}
          onChange={setKind}
          style={{ minWidth: 180 }}
          data-testid="evidence-kind"
          options={Object.entries(EVIDENCE_LABELS).map(([value, text]) => ({
            value: value as EvidenceKind,
            label: text,
          }))}
        />
        <Input
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          placeholder="材料标题"
          style={{ flex: 1, minWidth: 160 }}
          data-testid="evidence-title"
        />
      </Flex>
      <Flex gap={8} wrap align="center">
        <Upload
          accept={policy === null ? '' : policy.contentTypes.join(',')}
          showUploadList={false}
          maxCount={1}
          disabled={policy === null || busy}
          beforeUpload={(file) => {
            void choose(file);
            return Upload.LIST_IGNORE;
          }}
        >
          <Button icon={<UploadOutlined />} data-testid="evidence-choose">
            选择文件
          </Button>
        </Upload>
        {chosen === null ? null : (
          <Typography.Text data-testid="evidence-chosen">
            {chosen.name} · {formatBytes(chosen.size)} · {chosen.type}
          </Typography.Text>
        )}
        <Button
          type="primary"
          disabled={chosen === null || busy}
          loading={busy}
          onClick={() => void send()}
          data-testid="evidence-send"
        >
          上传
        </Button>
      </Flex>
      {problem === null ? null : (
        <Alert
          type="error"
          showIcon
          title={problem}
          data-testid="evidence-refused"
        />
      )}
    </Flex>
  );
}
