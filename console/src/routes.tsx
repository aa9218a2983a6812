// The console's pages and who sees them: navigation follows the roles of
// the signed-in user's token, so each user sees only their own work. A new
// page is one entry here (a role's pages: add them with its roles).
import {
  AlertOutlined,
  AuditOutlined,
  BarChartOutlined,
  CodeOutlined,
  DatabaseOutlined,
  FileSearchOutlined,
  InboxOutlined,
  SafetyCertificateOutlined,
  SearchOutlined,
  StopOutlined,
  TagsOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

import type { TokenClaims } from './auth/session.js';
import { AccessLogPage } from './pages/auditor/AccessLogPage.js';
import { DeveloperPage } from './pages/developer/DeveloperPage.js';
import { AlertInboxPage } from './pages/duty/AlertInboxPage.js';
import { RiskSearchPage } from './pages/duty/RiskSearchPage.js';
import { AccessReportPage } from './pages/officer/AccessReportPage.js';
import { EntryEditorPage } from './pages/officer/EntryEditorPage.js';
import { EntryPage } from './pages/officer/EntryPage.js';
import { GrantsPage } from './pages/officer/GrantsPage.js';
import { NegativeListPage } from './pages/officer/NegativeListPage.js';
import { ShareRequestsPage } from './pages/officer/ShareRequestsPage.js';
import { UnclassifiedFieldsPage } from './pages/officer/UnclassifiedFieldsPage.js';
import { FilingPage } from './pages/reviewer/FilingPage.js';
import { RegistryPage } from './pages/reviewer/RegistryPage.js';
import { ReviewQueuePage } from './pages/reviewer/ReviewQueuePage.js';
import {
  AUDITOR_ROLES,
  DUTY_ROLES,
  FILER_ROLES,
  OFFICER_ROLES,
  REVIEWER_ROLES,
} from './roles.js';
import type { Route } from './router.js';

/** Who reads the registry and a filing's page: reviewers and filers. */
const REGISTRY_ROLES = [...REVIEWER_ROLES, ...FILER_ROLES] as const;

export interface ConsolePage {
  /** The route name: `#/<name>`. */
  readonly name: string;
  /** Its menu entry; pages reached from another page have none. */
  readonly menu: { readonly label: string; readonly icon: ReactNode } | null;
  /** The roles that see it; `null` for every signed-in user. */
  readonly roles: readonly string[] | null;
  /** Menu entry highlighted while this page is open. */
  readonly highlights?: string;
  render(route: Route): ReactNode;
}

export const PAGES: readonly ConsolePage[] = [
  {
    name: 'queue',
    menu: { label: '审核队列', icon: <AuditOutlined /> },
    roles: REVIEWER_ROLES,
    render: (route) => <ReviewQueuePage route={route} />,
  },
  {
    name: 'registry',
    menu: { label: '备案目录', icon: <DatabaseOutlined /> },
    roles: REGISTRY_ROLES,
    render: (route) => <RegistryPage route={route} />,
  },
  {
    name: 'filing',
    menu: null,
    roles: REGISTRY_ROLES,
    highlights: 'queue',
    render: (route) =>
      route.arg === null ? null : <FilingPage key={route.arg} id={route.arg} />,
  },
  {
    name: 'access-log',
    menu: { label: '访问日志', icon: <FileSearchOutlined /> },
    roles: AUDITOR_ROLES,
    render: () => <AccessLogPage />,
  },
  {
    name: 'inbox',
    menu: { label: '预警收件箱', icon: <AlertOutlined /> },
    roles: DUTY_ROLES,
    render: (route) => <AlertInboxPage route={route} />,
  },
  {
    name: 'risks',
    menu: { label: '风险搜索', icon: <SearchOutlined /> },
    roles: DUTY_ROLES,
    render: (route) => <RiskSearchPage route={route} />,
  },
  {
    name: 'negative-list',
    menu: { label: '负面清单', icon: <StopOutlined /> },
    roles: OFFICER_ROLES,
    render: (route) => <NegativeListPage route={route} />,
  },
  {
    name: 'entry-new',
    menu: null,
    roles: OFFICER_ROLES,
    highlights: 'negative-list',
    render: () => <EntryEditorPage />,
  },
  {
    name: 'entry',
    menu: null,
    roles: OFFICER_ROLES,
    highlights: 'negative-list',
    render: (route) =>
      route.arg === null ? null : <EntryPage key={route.arg} id={route.arg} />,
  },
  {
    name: 'share-requests',
    menu: { label: '共享申请', icon: <InboxOutlined /> },
    roles: OFFICER_ROLES,
    render: (route) => <ShareRequestsPage route={route} />,
  },
  {
    name: 'grants',
    menu: { label: '共享授权', icon: <SafetyCertificateOutlined /> },
    roles: OFFICER_ROLES,
    render: (route) => <GrantsPage route={route} />,
  },
  {
    name: 'unclassified',
    menu: { label: '待分级字段', icon: <TagsOutlined /> },
    roles: OFFICER_ROLES,
    render: () => <UnclassifiedFieldsPage />,
  },
  {
    name: 'access-report',
    menu: { label: '数据被访问情况', icon: <BarChartOutlined /> },
    roles: OFFICER_ROLES,
    render: () => <AccessReportPage />,
  },
  {
    name: 'developer',
    menu: { label: '接口与字段说明', icon: <CodeOutlined /> },
    roles: null,
    render: (route) => <DeveloperPage route={route} />,
  },
];

/** The pages `claims` may open, in menu order. */
export function pagesFor(claims: TokenClaims): ConsolePage[] {
  return PAGES.filter(
    (page) =>
      page.roles === null || page.roles.some((r) => claims.roles.includes(r)),
  );
}
