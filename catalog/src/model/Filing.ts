import type {
  AlgorithmState,
  Department,
  SchemaCoordinate,
} from '../../../policies/src/index.js';

/** Risk categories of a filing, after the EU AI Act's tiers as the city uses them. */
export const RISK_CATEGORIES = ['LOW', 'MEDIUM', 'HIGH'] as const;

/** One of {@link RISK_CATEGORIES}. */
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

/** Kinds of evidence a filing attaches. */
export const EVIDENCE_KINDS = [
  'IMPACT_ASSESSMENT',
  'SECURITY_ASSESSMENT',
  'TEST_REPORT',
  'SELF_ASSESSMENT',
  'OTHER',
] as const;

/** One of {@link EVIDENCE_KINDS}. */
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** A document a filing attaches as evidence. */
export interface Evidence {
  readonly kind: EvidenceKind;
  readonly title: string;
  /** Where the document is kept (a document-system URI). */
  readonly uri: string;
}

/**
 * The content of one revision of a filing: what the owner declares and a
 * reviewer approves. Revisions are immutable once submitted.
 */
export interface FilingRevisionContent {
  /** 用途与影响. */
  readonly purposeAndImpact: string;
  /** 运行机理. */
  readonly operatingLogic: string;
  /** The schema coordinates it reads: the only data it may read. */
  readonly inputs: readonly SchemaCoordinate[];
  /** What it produces, in words. */
  readonly outputs: readonly string[];
  readonly legalBasis: string;
  /** 人工干预: how people oversee and can override it. */
  readonly humanOversight: string;
  /** 自评估. */
  readonly selfAssessment: string;
  readonly modelVersions: readonly string[];
  readonly deploymentEndpoint: string;
  readonly evidence: readonly Evidence[];
}

/** The registration data of a filing, fixed across revisions. */
export interface FilingHeader {
  /** e.g. `ALG-2025-017`. */
  readonly id: string;
  readonly name: string;
  readonly ownerDepartment: Department;
  /** 安全责任人. */
  readonly safetyOfficer: string;
  /** 服务形式, e.g. 决策辅助, 预警推送. */
  readonly serviceForm: string;
  /** 应用领域, e.g. 生态环境, 城市运行. */
  readonly domain: string;
  /** 算法类型, e.g. 溯源分析, 预测预警. */
  readonly algorithmType: string;
  readonly riskCategory: RiskCategory;
  readonly state: AlgorithmState;
}

/** A problem that keeps a filing from being submitted. */
export interface SubmissionProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * What keeps a revision from being submitted: every declared text is
 * required, at least one input and one output, and the evidence its risk
 * requires — an impact assessment for a HIGH risk filing, a self-assessment
 * document for every filing. Inputs are checked against the supergraph at
 * the edge. Pure.
 */
export function submissionProblems(
  content: FilingRevisionContent,
  risk: RiskCategory,
): SubmissionProblem[] {
  const problems: SubmissionProblem[] = [];
  const required: [keyof FilingRevisionContent, string][] = [
    ['purposeAndImpact', '用途与影响 (purpose and impact)'],
    ['operatingLogic', '运行机理 (operating logic)'],
    ['legalBasis', '法律依据 (legal basis)'],
    ['humanOversight', '人工干预 (human oversight)'],
    ['selfAssessment', '自评估 (self-assessment)'],
    ['deploymentEndpoint', '部署地址 (deployment endpoint)'],
  ];
  for (const [field, what] of required) {
    const value = content[field];
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push({ field, message: `${what} is required.` });
    }
  }
  if (content.inputs.length === 0) {
    problems.push({
      field: 'inputs',
      message: 'A filing declares the data it reads (at least one input).',
    });
  }
  if (content.outputs.length === 0) {
    problems.push({
      field: 'outputs',
      message: 'Declare at least one output.',
    });
  }
  if (content.modelVersions.length === 0) {
    problems.push({
      field: 'modelVersions',
      message: 'Declare the model version deployed.',
    });
  }
  const kinds = new Set(content.evidence.map((e) => e.kind));
  if (!kinds.has('SELF_ASSESSMENT')) {
    problems.push({
      field: 'evidence',
      message: 'Attach the self-assessment report (自评估报告).',
    });
  }
  if (risk === 'HIGH' && !kinds.has('IMPACT_ASSESSMENT')) {
    problems.push({
      field: 'evidence',
      message:
        'A HIGH risk filing needs an impact assessment (算法影响评估报告) before it is submitted.',
    });
  }
  return problems;
}
