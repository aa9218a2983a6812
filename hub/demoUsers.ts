import type { TokenClaims } from '../gateway/src/identity/index.js';

/** A seeded demo caller: an id for `npm run token` and its token claims. */
export interface DemoUser {
  /** What `npm run token -- <id>` takes. */
  id: string;
  /** Who it is, for people. */
  description: string;
  claims: TokenClaims;
  /** The purpose examples declare for it (one of `claims.purposes`). */
  purpose: string;
}

/**
 * The demo callers of the seeded city, one per kind of user the scenarios
 * need. `npm start` prints tokens for some of them; `npm run token` mints
 * one for any of them.
 */
export const demoUsers: readonly DemoUser[] = [
  {
    id: 'env-analyst',
    description: '生态环境局 analyst, city level',
    claims: {
      sub: 'env-analyst',
      dept: 'environment',
      roles: ['analyst'],
      level: 'CITY',
      region: '500000',
      purposes: ['water-pollution-tracing', 'environmental-supervision'],
    },
    purpose: 'water-pollution-tracing',
  },
  {
    id: 'water-duty-qijiang',
    description: '綦江区水利局 duty officer',
    claims: {
      sub: 'water-duty-qijiang',
      dept: 'water',
      roles: ['duty-officer'],
      level: 'DISTRICT',
      region: '500110',
      purposes: ['flood-and-water-safety', 'water-pollution-tracing'],
    },
    purpose: 'flood-and-water-safety',
  },
  {
    id: 'market-data-officer',
    description: '市场监管局 data officer (数据专员), city level',
    claims: {
      sub: 'market-data-officer',
      dept: 'market',
      roles: ['data-officer'],
      level: 'CITY',
      region: '500000',
      purposes: ['market-supervision', 'data-governance'],
    },
    purpose: 'market-supervision',
  },
  {
    id: 'enforcement-jiefangbei',
    description: '解放碑街道 comprehensive law enforcement officer',
    claims: {
      sub: 'enforcement-jiefangbei',
      dept: 'enforcement',
      roles: ['enforcement-officer'],
      level: 'STREET',
      region: '500103001',
      purposes: ['complaint-handling'],
    },
    purpose: 'complaint-handling',
  },
  {
    id: 'emergency-duty',
    description: '应急管理局 duty officer, city level',
    claims: {
      sub: 'emergency-duty',
      dept: 'emergency',
      roles: ['duty-officer'],
      level: 'CITY',
      region: '500000',
      purposes: ['emergency-response', 'risk-inventory'],
    },
    purpose: 'emergency-response',
  },
  {
    id: 'police-crowd-yuzhong',
    description: '渝中区公安分局 crowd analyst',
    claims: {
      sub: 'police-crowd-yuzhong',
      dept: 'publicsecurity',
      roles: ['crowd-analyst'],
      level: 'DISTRICT',
      region: '500103',
      purposes: ['crowd-management'],
    },
    purpose: 'crowd-management',
  },
  {
    id: 'publicsecurity-data-officer',
    description:
      '公安局 data officer (数据专员): writes the department’s negative-list entries, decides share requests',
    claims: {
      sub: 'publicsecurity-data-officer',
      dept: 'publicsecurity',
      roles: ['data-officer'],
      level: 'CITY',
      region: '500000',
      purposes: ['data-governance'],
    },
    purpose: 'data-governance',
  },
  {
    id: 'publicsecurity-chief-data-officer',
    description:
      '公安局 chief data officer (首席数据官): reviews and approves the department’s entries (four eyes)',
    claims: {
      sub: 'publicsecurity-chief-data-officer',
      dept: 'publicsecurity',
      roles: ['data-officer'],
      level: 'CITY',
      region: '500000',
      purposes: ['data-governance'],
    },
    purpose: 'data-governance',
  },
  {
    id: 'enforcement-data-officer',
    description:
      '综合执法局 data officer (数据专员): applies for other departments’ conditional data',
    claims: {
      sub: 'enforcement-data-officer',
      dept: 'enforcement',
      roles: ['data-officer'],
      level: 'CITY',
      region: '500000',
      purposes: ['data-governance', 'complaint-handling'],
    },
    purpose: 'data-governance',
  },
  {
    id: 'city-data-authority',
    description:
      '市大数据发展局 (city data authority): manages every department’s list and the city-wide settings',
    claims: {
      sub: 'city-data-authority',
      dept: 'bigdata',
      roles: ['city-data-authority'],
      level: 'CITY',
      region: '500000',
      purposes: ['data-governance'],
    },
    purpose: 'data-governance',
  },
  {
    id: 'algorithm-reviewer',
    description:
      '市委网信办 algorithm reviewer (算法备案审核员): reviews, files, suspends and retires filings',
    claims: {
      sub: 'algorithm-reviewer',
      dept: 'cac',
      roles: ['algorithm-reviewer'],
      level: 'CITY',
      region: '500000',
      purposes: ['algorithm-review'],
    },
    purpose: 'algorithm-review',
  },
  {
    id: 'environment-algorithm-owner',
    description:
      '生态环境局 algorithm owner (算法主体): registers and submits the department’s algorithm filings',
    claims: {
      sub: 'environment-algorithm-owner',
      dept: 'environment',
      roles: ['algorithm-owner'],
      level: 'CITY',
      region: '500000',
      purposes: ['algorithm-review'],
    },
    purpose: 'algorithm-review',
  },
  {
    id: 'algo-ruxi-oil',
    description:
      '汝溪河 oil-slick source-tracing algorithm (filed ALG-2025-017)',
    claims: {
      sub: 'algo-ruxi-oil',
      dept: 'environment',
      roles: ['algorithm'],
      level: 'CITY',
      region: '500000',
      purposes: ['water-pollution-tracing'],
      filing: 'ALG-2025-017',
    },
    purpose: 'water-pollution-tracing',
  },
  {
    id: 'city-auditor',
    description:
      '市大数据局 审计员 (auditor): reads the access log — who read what, when, for which purpose — and its verification; changes nothing',
    claims: {
      sub: 'city-auditor',
      dept: 'bigdata',
      roles: ['auditor'],
      level: 'CITY',
      region: '500000',
      purposes: ['audit'],
    },
    purpose: 'audit',
  },
  {
    id: 'hub-operator',
    description:
      '市大数据发展局 hub operator (运维): reads the gateway’s /health details, no data',
    claims: {
      sub: 'hub-operator',
      dept: 'bigdata',
      roles: ['operator'],
      level: 'CITY',
      region: '500000',
      purposes: ['operations'],
    },
    purpose: 'operations',
  },
];

/**
 * The demo users the web console offers on its login page (`npm start`,
 * loopback browsers only): one or two per kind of console user. Ids of
 * users not (yet) in {@link demoUsers} are skipped.
 */
export const CONSOLE_DEMO_USERS: readonly string[] = [
  'algorithm-reviewer',
  'environment-algorithm-owner',
  'env-analyst',
  'market-data-officer',
  'publicsecurity-data-officer',
  'publicsecurity-chief-data-officer',
  'emergency-duty',
  'water-duty-qijiang',
  'city-auditor',
];

/** The demo user with this id, or `undefined`. */
export function findDemoUser(id: string): DemoUser | undefined {
  return demoUsers.find((u) => u.id === id);
}
