/**
 * The five scenarios of the reference reports (see `seeds/README.md`), with
 * the ids and facts that are the same for every seed. Anything else in the
 * world varies with the seed; these never do, so that documentation, demos
 * and tests can name them.
 */
export const SCENARIOS = {
  /** 1. 蒲河寨溪大桥断面溶解氧连续3天超标 (綦江区, August 2025). */
  dissolvedOxygen: {
    districtCode: '500110',
    riverId: 'R-PUHE',
    sectionId: 'MS-PUHE-ZHAIXI',
    sectionName: '寨溪大桥',
    sectionKm: 40,
    upstreamSectionId: 'MS-PUHE-HENGSHAN',
    upstreamSectionKm: 18,
    downstreamSectionId: 'MS-PUHE-HEKOU',
    downstreamSectionKm: 58,
    /** The only two sources between the upstream section and 寨溪大桥. */
    plantSourceIds: ['PS-PUHE-03', 'PS-PUHE-04'],
    plantKms: [26.4, 33.8],
    /** Daily dissolved-oxygen readings (mg/L) from 2025-08-12 to 08-16. */
    breach: [
      ['2025-08-12', 3.2],
      ['2025-08-13', 2.9],
      ['2025-08-14', 3.4],
      ['2025-08-15', 5.3],
      ['2025-08-16', 5.8],
    ],
    recoveredOn: '2025-08-17',
    riskItemId: 'RI-PUHE-ZHAIXI',
    /**
     * The scenario's instant: the morning of the third breach, after its
     * 06:00 reading. The seeds write no alert for this scenario; the hub
     * runs the alert evaluator as of this instant once it has seeded the
     * demo city (hub/startHub.ts), and that raises the ORANGE alert.
     */
    evaluatedAt: '2025-08-14T08:00:00+08:00',
    townName: '三角镇',
  },
  /** 2. 汝溪河约300平方米油污带 (梁平区, July 2025). */
  oilSlick: {
    districtCode: '500155',
    riverId: 'R-RUXI',
    incidentId: 'INC-RUXI-OIL',
    incidentKm: 60,
    detectedAt: '2025-07-18T06:40:00+08:00',
    areaSqm: 300,
    sectionId: 'MS-RUXI-LIRANG',
    /** Sources upstream within this distance are the candidates. */
    withinKm: 30,
    industrialSources: 17,
    wastewaterPlants: 3,
    foodPlantSourceId: 'PS-RUXI-01',
    foodPlantKm: 57.7,
    stationIds: [
      'HS-RUXI-1',
      'HS-RUXI-2',
      'HS-RUXI-3',
      'HS-RUXI-4',
      'HS-RUXI-5',
    ],
    stationKms: [8, 26, 61, 85, 93],
    /** HS-RUXI-3, the station nearest the incident: latest velocity, m/s. */
    nearestStationVelocity: 0.5,
    intakeId: 'IN-RUXI-01',
    intakeKm: 70.8,
    intakePopulation: 120_000,
    /** 10.8 km at 0.5 m/s. */
    travelHours: 6,
    riskItemId: 'RI-RUXI-LIRANG',
    alertId: 'AL-20250718-RUXI',
    /**
     * The alert's lifecycle, after the report: raised by hand from the
     * incident report once the tracing (15 minutes after detection) named
     * the food plant; acknowledged by the risk item's responsible person;
     * the slick cleared 4.5 hours after detection (disposed); closed by
     * the emergency duty officer once the downstream intake tested clean,
     * after the slick's predicted arrival (6 hours).
     */
    raisedAt: '2025-07-18T06:55:00+08:00',
    raisedBy: 'env-analyst',
    acknowledgedAt: '2025-07-18T07:03:00+08:00',
    disposedAt: '2025-07-18T11:10:00+08:00',
    closedAt: '2025-07-18T16:30:00+08:00',
    closedBy: 'emergency-duty',
    notifiedParties: [
      '梁平区生态环境局',
      '梁平区水利局',
      '礼让镇人民政府',
      '梁平区应急管理局',
      '梁平区市场监督管理局',
    ],
    townName: '礼让镇',
    intakeTownName: '明达镇',
    upstreamTownName: '屏锦镇',
  },
  /** 3. 2025年春节黄金周解放碑商圈单日客流180万人次、3处拥堵风险点. */
  crowd: {
    areaId: 'CA-JIEFANGBEI',
    streetCode: '500103001',
    firstDay: '2025-01-28',
    lastDay: '2025-02-04',
    peakDay: '2025-02-01',
    peakVisitors: 1_800_000,
    peakObservedAt: '2025-02-01T23:00:00+08:00',
    congestionPoints: 3,
    riskItemId: 'RI-JIEFANGBEI-CROWD',
  },
  /** 4. 较场口夜市3家烧烤店跨门店经营、油烟扰民 (2025-09-15). */
  nightMarket: {
    complaintId: 'C-20250915-JCK',
    channel: '渝快办',
    receivedAt: '2025-09-15T20:17:00+08:00',
    dispatchedAt: '2025-09-15T20:17:15+08:00',
    resolvedAt: '2025-09-15T23:02:00+08:00',
    streetCode: '500103001',
    latitude: 29.5525,
    longitude: 106.5735,
    squadId: 'SQ-JIEFANGBEI',
    merchants: 3,
  },
  /** 5. 130多类风险、52万多条风险清单. */
  riskInventory: {
    categories: 132,
    riskItems: { demo: 6_000, city: 520_000 },
  },
} as const;
