// The emergency department's search collections: what a risk item and an
// alert look like in the search index. The indexing pipeline builds these
// documents from the department's tables; the search resolvers query them.
import type { CollectionSpec } from '../../../../search/src/SearchBackend.js';

/**
 * Risk items (风险清单). Document fields:
 * - text: `name`, `address`, `disposalMeasures` (string[]), `categoryName`
 * - keyword: `categoryCode`, `level` (MAJOR…LOW), `responsibleDepartment`
 *   (e.g. 应急管理局), `status` (NORMAL | ALERTING), `enterpriseCreditCode`,
 *   `sectionId`
 * - region: `regionCode` (grid or street code)
 * - date: `updatedAt`
 * - numeric: `levelRank` (MAJOR 4 … LOW 1)
 */
export const RISK_ITEMS: CollectionSpec = {
  name: 'risk-items',
  text: ['name', 'address', 'disposalMeasures', 'categoryName'],
  keyword: [
    'categoryCode',
    'level',
    'responsibleDepartment',
    'status',
    'enterpriseCreditCode',
    'sectionId',
  ],
  region: ['regionCode'],
  date: ['updatedAt'],
  numeric: ['levelRank'],
};

/**
 * Alerts (预警). Document fields:
 * - text: `title`, `message`, `riskItemName`
 * - keyword: `categoryCode` (of its risk item), `level` (BLUE…RED),
 *   `status` (NEW…CLOSED), `responsibleDepartment`, `riskItemId`
 * - region: `regionCode`
 * - date: `raisedAt`
 * - numeric: `levelRank` (RED 4 … BLUE 1)
 */
export const ALERTS: CollectionSpec = {
  name: 'alerts',
  text: ['title', 'message', 'riskItemName'],
  keyword: [
    'categoryCode',
    'level',
    'status',
    'responsibleDepartment',
    'riskItemId',
  ],
  region: ['regionCode'],
  date: ['raisedAt'],
  numeric: ['levelRank'],
};

export const RISK_LEVEL_RANK = {
  MAJOR: 4,
  HIGH: 3,
  MODERATE: 2,
  LOW: 1,
} as const;
export const ALERT_LEVEL_RANK = {
  RED: 4,
  ORANGE: 3,
  YELLOW: 2,
  BLUE: 1,
} as const;
