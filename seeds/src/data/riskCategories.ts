/**
 * The risk inventory's categories (风险清单类别): 132 categories in six
 * domains, after the 130多类风险数据 (森林防火、危岩地灾、危化品…) of the
 * reference report. Each category says which metrics its thresholds watch,
 * what its items are called, and whether an item belongs to an enterprise,
 * a monitoring section or just a place.
 */
export type RiskDomain =
  '自然灾害' | '安全生产' | '城市运行' | '生态环境' | '公共卫生' | '社会安全';

/** What a risk item of a category is attached to. */
export type RiskLink =
  | { kind: 'place' }
  | { kind: 'section' }
  | { kind: 'enterprise'; industries: readonly string[] };

/** One category of the risk inventory. */
export interface RiskCategorySpec {
  /** e.g. `ZR01`: domain prefix + number. */
  code: string;
  name: string;
  domain: RiskDomain;
  /** Keys of {@link METRICS} its thresholds draw from, most important first. */
  metrics: readonly string[];
  /** What an item is called, appended to its place or enterprise. */
  noun: string;
  link: RiskLink;
}

/** How one metric's threshold is drawn. */
export interface MetricSpec {
  metric: string;
  comparator: 'LT' | 'LTE' | 'GT' | 'GTE';
  min: number;
  max: number;
  digits: number;
  unit: string;
  /** Longest window in days; 1 means an instant breach. */
  maxWindowDays: number;
}

type M = [
  metric: string,
  comparator: MetricSpec['comparator'],
  min: number,
  max: number,
  digits: number,
  unit: string,
  maxWindowDays: number,
];

// prettier-ignore
const METRIC_ROWS: Readonly<Record<string, M>> = {
  FIRE_DANGER: ['FIRE_DANGER_LEVEL', 'GTE', 3, 5, 0, '级', 1],
  TEMPERATURE_HIGH: ['AIR_TEMPERATURE', 'GTE', 35, 40, 0, '℃', 3],
  TEMPERATURE_LOW: ['AIR_TEMPERATURE', 'LTE', -3, 0, 0, '℃', 2],
  HUMIDITY_LOW: ['RELATIVE_HUMIDITY', 'LT', 20, 35, 0, '%', 3],
  DISPLACEMENT: ['DISPLACEMENT', 'GTE', 10, 50, 0, 'mm', 1],
  DISPLACEMENT_RATE: ['DISPLACEMENT_RATE', 'GTE', 2, 10, 1, 'mm/d', 3],
  CRACK_WIDTH: ['CRACK_WIDTH', 'GTE', 5, 30, 0, 'mm', 1],
  RAINFALL_24H: ['RAINFALL_24H', 'GTE', 50, 100, 0, 'mm', 1],
  RAINFALL_1H: ['RAINFALL_1H', 'GTE', 20, 50, 0, 'mm', 1],
  MUD_LEVEL: ['DEBRIS_FLOW_LEVEL', 'GTE', 0.5, 2, 1, 'm', 1],
  SETTLEMENT: ['SETTLEMENT', 'GTE', 20, 50, 0, 'mm', 1],
  WATER_LEVEL: ['WATER_LEVEL', 'GTE', 175, 260, 1, 'm', 1],
  FLOW_RATE: ['FLOW_RATE', 'GTE', 500, 5000, 0, 'm³/s', 1],
  WATER_DEPTH: ['WATER_DEPTH', 'GTE', 15, 40, 0, 'cm', 1],
  DRY_DAYS: ['CONSECUTIVE_DRY_DAYS', 'GTE', 20, 40, 0, 'd', 1],
  SOIL_MOISTURE: ['SOIL_MOISTURE', 'LT', 10, 20, 0, '%', 7],
  SEISMIC_MAGNITUDE: ['SEISMIC_MAGNITUDE', 'GTE', 3, 5, 1, '级', 1],
  WIND_SPEED: ['WIND_SPEED', 'GTE', 13.9, 24.4, 1, 'm/s', 1],
  LIGHTNING: ['LIGHTNING_STRIKES', 'GTE', 5, 20, 0, '次/h', 1],
  VISIBILITY: ['VISIBILITY', 'LT', 100, 500, 0, 'm', 1],
  SNOW_DEPTH: ['SNOW_DEPTH', 'GTE', 5, 15, 0, 'cm', 1],
  SEEPAGE: ['SEEPAGE_FLOW', 'GTE', 1, 5, 1, 'L/s', 2],
  PEST_DENSITY: ['PEST_DENSITY', 'GTE', 10, 50, 0, '头/百株', 7],
  GAS_LEL: ['COMBUSTIBLE_GAS', 'GTE', 10, 25, 0, '%LEL', 1],
  TANK_PRESSURE: ['PRESSURE', 'GTE', 0.8, 1.6, 2, 'MPa', 1],
  TANK_TEMPERATURE: ['MEDIUM_TEMPERATURE', 'GTE', 50, 80, 0, '℃', 1],
  TANK_LEVEL: ['LIQUID_LEVEL', 'GTE', 80, 95, 0, '%', 1],
  TOXIC_GAS: ['HYDROGEN_SULFIDE', 'GTE', 10, 20, 0, 'ppm', 1],
  REACTOR_TEMPERATURE: ['REACTOR_TEMPERATURE', 'GTE', 120, 250, 0, '℃', 1],
  OVERSPEED: ['OVERSPEED_EVENTS', 'GTE', 3, 10, 0, '次/d', 1],
  FATIGUE: ['FATIGUE_DRIVING_ALARMS', 'GTE', 2, 5, 0, '次/d', 1],
  SATURATION_LINE: ['SATURATION_LINE_DEPTH', 'LT', 4, 8, 1, 'm', 1],
  DRY_BEACH: ['DRY_BEACH_LENGTH', 'LT', 50, 100, 0, 'm', 1],
  PIPE_PRESSURE_LOW: ['PIPE_PRESSURE', 'LT', 0.1, 0.25, 2, 'MPa', 1],
  CRANE_LOAD: ['LOAD_MOMENT_RATIO', 'GTE', 90, 100, 0, '%', 1],
  STRUCTURAL_TILT: ['TILT', 'GTE', 2, 5, 1, '‰', 1],
  METHANE: ['METHANE', 'GTE', 0.8, 1, 1, '%', 1],
  CO: ['CARBON_MONOXIDE', 'GTE', 24, 50, 0, 'ppm', 1],
  STOCK: ['STORAGE_RATIO', 'GTE', 80, 100, 0, '%', 1],
  DUST: ['DUST_CONCENTRATION', 'GTE', 4, 10, 0, 'mg/m³', 1],
  AMMONIA_GAS: ['AMMONIA', 'GTE', 25, 150, 0, 'ppm', 1],
  OXYGEN_LOW: ['OXYGEN', 'LT', 19.5, 19.5, 1, '%', 1],
  COOLING_WATER: ['COOLING_WATER_TEMPERATURE', 'GTE', 45, 60, 0, '℃', 1],
  KILN: ['KILN_TEMPERATURE', 'GTE', 1300, 1500, 0, '℃', 1],
  VEHICLE_LOAD: ['VEHICLE_WEIGHT', 'GTE', 49, 55, 0, 't', 1],
  PASSENGER_FLOW: ['PASSENGER_FLOW', 'GTE', 5000, 30000, 0, '人次/h', 1],
  CROWD_DENSITY: ['CROWD_DENSITY', 'GTE', 2, 4, 1, '人/m²', 1],
  VISITORS: ['VISITORS_TODAY', 'GTE', 50000, 300000, 0, '人次', 1],
  LEAK_ALARMS: ['LEAK_ALARMS', 'GTE', 1, 3, 0, '次/d', 1],
  PIPE_FILL: ['PIPE_FILL_RATIO', 'GTE', 80, 95, 0, '%', 1],
  LOAD_RATIO: ['LOAD_RATIO', 'GTE', 85, 100, 0, '%', 1],
  FIRE_ALARMS: ['FIRE_ALARMS', 'GTE', 1, 3, 0, '次/d', 1],
  FIRE_WATER_PRESSURE: ['FIRE_WATER_PRESSURE', 'LT', 0.1, 0.15, 2, 'MPa', 1],
  CONGESTION_INDEX: ['CONGESTION_INDEX', 'GTE', 1.8, 2.5, 1, '指数', 1],
  LEACHATE_LEVEL: ['LEACHATE_LEVEL', 'GTE', 2, 5, 1, 'm', 1],
  TRAPPED: ['TRAPPED_EVENTS', 'GTE', 1, 3, 0, '次/月', 1],
  DO: ['DISSOLVED_OXYGEN', 'LT', 5, 5, 0, 'mg/L', 3],
  NH3: ['AMMONIA_NITROGEN', 'GT', 1, 1, 1, 'mg/L', 3],
  CODMN: ['PERMANGANATE_INDEX', 'GT', 6, 6, 0, 'mg/L', 3],
  TP: ['TOTAL_PHOSPHORUS', 'GT', 0.2, 0.2, 1, 'mg/L', 3],
  PETROLEUM: ['PETROLEUM', 'GT', 0.05, 0.05, 2, 'mg/L', 1],
  COD_DISCHARGE: ['COD', 'GT', 50, 100, 0, 'mg/L', 1],
  NH3_DISCHARGE: ['AMMONIA_NITROGEN_DISCHARGE', 'GT', 5, 15, 0, 'mg/L', 1],
  PM25: ['PM2_5', 'GTE', 75, 150, 0, 'μg/m³', 2],
  PM10: ['PM10', 'GTE', 150, 250, 0, 'μg/m³', 2],
  O3: ['OZONE_8H', 'GTE', 160, 200, 0, 'μg/m³', 2],
  HEAVY_METAL: ['CADMIUM', 'GTE', 0.3, 0.6, 2, 'mg/kg', 1],
  RADIATION: ['DOSE_RATE', 'GTE', 0.25, 2.5, 2, 'μSv/h', 1],
  NOISE: ['NOISE', 'GTE', 55, 70, 0, 'dB(A)', 1],
  FIRE_POINTS: ['FIRE_POINTS', 'GTE', 1, 3, 0, '处', 1],
  CHLOROPHYLL: ['CHLOROPHYLL_A', 'GTE', 30, 60, 0, 'μg/L', 3],
  CASE_COUNT: ['CASE_COUNT', 'GTE', 3, 10, 0, '例', 7],
  FAILED_SAMPLES: ['FAILED_SAMPLES', 'GTE', 1, 3, 0, '批次', 1],
  CHLORINE_LOW: ['RESIDUAL_CHLORINE', 'LT', 0.05, 0.3, 2, 'mg/L', 1],
  TURBIDITY: ['TURBIDITY', 'GTE', 1, 3, 1, 'NTU', 1],
  MOSQUITO: ['BRETEAU_INDEX', 'GTE', 5, 20, 0, 'BI', 7],
  ADVERSE: ['ADVERSE_REACTIONS', 'GTE', 3, 10, 0, '例', 7],
  VACCINE_TEMP: ['STORAGE_TEMPERATURE', 'GT', 8, 8, 0, '℃', 1],
  FROZEN_TEMP: ['STORAGE_TEMPERATURE', 'GT', -18, -15, 0, '℃', 1],
  INTRUSION: ['INTRUSION_ALARMS', 'GTE', 1, 3, 0, '次/d', 1],
  PETITIONS: ['PETITIONS', 'GTE', 5, 30, 0, '件/周', 7],
  ATTACKS: ['ATTACK_EVENTS', 'GTE', 10, 100, 0, '次/d', 1],
  COMPLAINTS: ['COMPLAINTS', 'GTE', 5, 20, 0, '件/月', 1],
  PARCEL_ALARMS: ['PROHIBITED_ITEM_ALARMS', 'GTE', 1, 3, 0, '次/d', 1],
};

/** Threshold templates by key. */
export const METRICS: Readonly<Record<string, MetricSpec>> = Object.fromEntries(
  Object.entries(METRIC_ROWS).map(
    ([key, [metric, comparator, min, max, digits, unit, maxWindowDays]]) => [
      key,
      { metric, comparator, min, max, digits, unit, maxWindowDays },
    ],
  ),
);

type C = [name: string, metrics: string, noun: string, link: string];

const PLACE = 'place';
const SECTION = 'section';

// prettier-ignore
const DOMAINS: readonly (readonly [RiskDomain, string, readonly C[]])[] = [
  ['自然灾害', 'ZR', [
    ['森林防火', 'FIRE_DANGER TEMPERATURE_HIGH HUMIDITY_LOW', '林区防火点', PLACE],
    ['危岩地灾', 'DISPLACEMENT CRACK_WIDTH RAINFALL_24H', '危岩体', PLACE],
    ['滑坡', 'DISPLACEMENT DISPLACEMENT_RATE RAINFALL_24H', '滑坡隐患点', PLACE],
    ['崩塌', 'CRACK_WIDTH RAINFALL_24H', '崩塌隐患点', PLACE],
    ['泥石流', 'RAINFALL_1H RAINFALL_24H MUD_LEVEL', '泥石流沟', PLACE],
    ['地面塌陷', 'SETTLEMENT RAINFALL_24H', '塌陷隐患区', PLACE],
    ['不稳定斜坡', 'DISPLACEMENT RAINFALL_24H', '不稳定斜坡', PLACE],
    ['地质灾害隐患点', 'DISPLACEMENT DISPLACEMENT_RATE RAINFALL_24H', '地灾隐患点', PLACE],
    ['洪水', 'WATER_LEVEL RAINFALL_24H FLOW_RATE', '沿河低洼区', PLACE],
    ['内涝', 'WATER_DEPTH RAINFALL_1H', '易涝点', PLACE],
    ['山洪', 'RAINFALL_1H RAINFALL_24H WATER_LEVEL', '山洪沟', PLACE],
    ['中小河流洪水', 'WATER_LEVEL RAINFALL_24H', '沿河场镇', PLACE],
    ['干旱', 'DRY_DAYS SOIL_MOISTURE', '旱情监测片区', PLACE],
    ['地震', 'SEISMIC_MAGNITUDE', '地震重点监视区', PLACE],
    ['暴雨', 'RAINFALL_1H RAINFALL_24H', '暴雨易发区', PLACE],
    ['大风', 'WIND_SPEED', '大风影响区', PLACE],
    ['冰雹', 'RAINFALL_1H WIND_SPEED', '冰雹易发区', PLACE],
    ['雷电', 'LIGHTNING', '雷击风险点', PLACE],
    ['高温', 'TEMPERATURE_HIGH', '高温影响区', PLACE],
    ['低温冰冻', 'TEMPERATURE_LOW', '道路结冰风险点', PLACE],
    ['大雾', 'VISIBILITY', '团雾多发路段', PLACE],
    ['暴雪', 'SNOW_DEPTH TEMPERATURE_LOW', '积雪影响区', PLACE],
    ['水库塌岸', 'DISPLACEMENT WATER_LEVEL', '库岸段', PLACE],
    ['消落带崩岸', 'DISPLACEMENT WATER_LEVEL', '消落带岸段', PLACE],
    ['水库溃坝', 'WATER_LEVEL SEEPAGE DISPLACEMENT', '小型水库', PLACE],
    ['堰塞湖', 'WATER_LEVEL SEEPAGE', '堰塞体', PLACE],
    ['农业病虫害', 'PEST_DENSITY', '农作物种植区', PLACE],
    ['林业有害生物', 'PEST_DENSITY', '松材线虫病疫点', PLACE],
  ]],
  ['安全生产', 'AQ', [
    ['危化品', 'GAS_LEL TANK_PRESSURE TANK_TEMPERATURE', '危化品储罐区', 'enterprise:化工 医药制造'],
    ['危化品生产', 'GAS_LEL REACTOR_TEMPERATURE TANK_PRESSURE', '危化品生产装置', 'enterprise:化工'],
    ['危化品运输', 'OVERSPEED FATIGUE', '危化品运输车队', 'enterprise:物流'],
    ['危化品仓储', 'GAS_LEL TANK_TEMPERATURE', '危化品仓库', 'enterprise:物流 化工'],
    ['重大危险源', 'GAS_LEL TANK_LEVEL TOXIC_GAS', '重大危险源', 'enterprise:化工'],
    ['尾矿库', 'SATURATION_LINE DRY_BEACH WATER_LEVEL', '尾矿库', 'enterprise:采矿'],
    ['燃气', 'GAS_LEL PIPE_PRESSURE_LOW', '燃气场站', 'enterprise:燃气供应'],
    ['城镇燃气管网', 'GAS_LEL PIPE_PRESSURE_LOW', '燃气管网', 'enterprise:燃气供应'],
    ['液化石油气站', 'GAS_LEL TANK_PRESSURE', '液化石油气充装站', 'enterprise:燃气供应'],
    ['加油加气站', 'GAS_LEL TANK_LEVEL', '加油加气站', 'enterprise:燃气供应'],
    ['建筑施工', 'WIND_SPEED CRANE_LOAD', '在建工地', 'enterprise:建筑施工'],
    ['深基坑', 'DISPLACEMENT SETTLEMENT', '深基坑工程', 'enterprise:建筑施工'],
    ['高支模', 'SETTLEMENT STRUCTURAL_TILT', '高支模工程', 'enterprise:建筑施工'],
    ['起重机械', 'CRANE_LOAD WIND_SPEED', '塔式起重机', 'enterprise:建筑施工'],
    ['桥梁隧道施工', 'DISPLACEMENT TOXIC_GAS', '桥隧施工点', 'enterprise:建筑施工'],
    ['矿山', 'DISPLACEMENT TOXIC_GAS', '矿山', 'enterprise:采矿'],
    ['非煤矿山', 'DISPLACEMENT TOXIC_GAS', '非煤矿山', 'enterprise:采矿'],
    ['煤矿', 'METHANE CO', '煤矿井下作业区', 'enterprise:采矿'],
    ['烟花爆竹', 'TEMPERATURE_HIGH STOCK', '烟花爆竹批发仓库', 'enterprise:零售 物流'],
    ['民用爆炸物品', 'STOCK TEMPERATURE_HIGH', '民爆物品储存库', 'enterprise:采矿'],
    ['粉尘涉爆', 'DUST', '粉尘涉爆作业场所', 'enterprise:机械制造 食品加工'],
    ['涉氨制冷', 'AMMONIA_GAS', '涉氨制冷车间', 'enterprise:食品加工 物流'],
    ['有限空间作业', 'TOXIC_GAS OXYGEN_LOW', '有限空间作业点', 'enterprise:污水处理 食品加工 化工'],
    ['金属冶炼', 'COOLING_WATER', '冶炼炉区', 'enterprise:机械制造'],
    ['特种设备', 'TANK_PRESSURE', '特种设备', 'enterprise:机械制造 化工'],
    ['锅炉压力容器', 'TANK_PRESSURE TANK_TEMPERATURE', '锅炉房', 'enterprise:食品加工 化工 医药制造'],
    ['建材生产', 'DUST KILN', '水泥生产线', 'enterprise:建材'],
    ['道路运输', 'OVERSPEED FATIGUE', '客货运输车队', 'enterprise:物流'],
    ['水上交通', 'WATER_LEVEL WIND_SPEED VISIBILITY', '客运码头', PLACE],
    ['渡口渡船', 'WATER_LEVEL WIND_SPEED', '乡镇渡口', PLACE],
    ['电力设施', 'LOAD_RATIO WIND_SPEED', '变电站', PLACE],
    ['油气长输管道', 'PIPE_PRESSURE_LOW GAS_LEL', '输气管道段', PLACE],
  ]],
  ['城市运行', 'CS', [
    ['城市桥梁', 'STRUCTURAL_TILT DISPLACEMENT VEHICLE_LOAD', '城市桥梁', PLACE],
    ['城市隧道', 'CO VISIBILITY', '城市隧道', PLACE],
    ['轨道交通', 'PASSENGER_FLOW CROWD_DENSITY', '轨道交通站点', PLACE],
    ['地下综合管廊', 'GAS_LEL WATER_DEPTH', '综合管廊舱段', PLACE],
    ['供水管网', 'PIPE_PRESSURE_LOW LEAK_ALARMS', '供水管网片区', PLACE],
    ['排水管网', 'PIPE_FILL WATER_DEPTH', '排水管网', PLACE],
    ['供电设施', 'LOAD_RATIO', '配电房', PLACE],
    ['高层建筑消防', 'FIRE_ALARMS FIRE_WATER_PRESSURE', '高层建筑', PLACE],
    ['老旧小区', 'STRUCTURAL_TILT FIRE_ALARMS', '老旧小区', PLACE],
    ['危旧房屋', 'STRUCTURAL_TILT CRACK_WIDTH', 'D级危房', PLACE],
    ['人员密集场所', 'CROWD_DENSITY', '人员密集场所', PLACE],
    ['大型商业综合体', 'CROWD_DENSITY FIRE_ALARMS', '商业综合体', PLACE],
    ['地下空间', 'WATER_DEPTH CO', '地下车库', PLACE],
    ['户外广告设施', 'WIND_SPEED STRUCTURAL_TILT', '户外广告牌', PLACE],
    ['边坡挡墙', 'DISPLACEMENT CRACK_WIDTH RAINFALL_24H', '边坡挡墙', PLACE],
    ['道路塌陷', 'SETTLEMENT', '道路塌陷隐患段', PLACE],
    ['窨井设施', 'DISPLACEMENT', '窨井设施', PLACE],
    ['交通拥堵', 'CONGESTION_INDEX', '拥堵路段', PLACE],
    ['公交运营', 'PASSENGER_FLOW', '公交枢纽', PLACE],
    ['城市照明', 'LOAD_RATIO', '照明设施', PLACE],
    ['垃圾处理设施', 'METHANE LEACHATE_LEVEL', '垃圾处理场', PLACE],
    ['玻璃幕墙', 'WIND_SPEED', '玻璃幕墙建筑', PLACE],
    ['经营性自建房', 'STRUCTURAL_TILT CRACK_WIDTH', '经营性自建房', PLACE],
    ['电动自行车充电', 'FIRE_ALARMS', '电动自行车集中充电点', PLACE],
    ['电梯', 'TRAPPED', '住宅电梯', PLACE],
    ['客运索道', 'WIND_SPEED PASSENGER_FLOW', '客运索道', PLACE],
  ]],
  ['生态环境', 'ST', [
    ['地表水水质超标', 'DO NH3 CODMN TP', '水质超标风险', SECTION],
    ['饮用水水源地', 'PETROLEUM NH3 CODMN', '饮用水水源地风险', SECTION],
    ['入河排污口', 'NH3 TP', '入河排污口风险', SECTION],
    ['油污泄漏', 'PETROLEUM', '油污风险', SECTION],
    ['黑臭水体', 'DO NH3', '黑臭水体风险', SECTION],
    ['突发水污染', 'DO PETROLEUM NH3', '突发水污染风险', SECTION],
    ['水华', 'CHLOROPHYLL DO', '水华风险', SECTION],
    ['污水处理厂运行', 'COD_DISCHARGE NH3_DISCHARGE', '污水处理厂', 'enterprise:污水处理'],
    ['尾水排放', 'COD_DISCHARGE', '尾水排放口', 'enterprise:污水处理'],
    ['工业废水排放', 'COD_DISCHARGE NH3_DISCHARGE', '废水排放口', 'enterprise:化工 食品加工 造纸 医药制造'],
    ['畜禽养殖污染', 'NH3_DISCHARGE COD_DISCHARGE', '畜禽养殖场', 'enterprise:畜禽养殖'],
    ['扬尘污染', 'PM10 DUST', '扬尘污染源', 'enterprise:建筑施工 建材'],
    ['危险废物', 'STOCK', '危险废物贮存设施', 'enterprise:化工 医药制造'],
    ['重金属污染', 'HEAVY_METAL', '涉重金属企业', 'enterprise:机械制造 化工'],
    ['大气污染', 'PM25 PM10', '大气监测站点', PLACE],
    ['臭氧污染', 'O3', '臭氧监测站点', PLACE],
    ['医疗废物', 'STOCK', '医疗废物暂存点', PLACE],
    ['土壤污染', 'HEAVY_METAL', '污染地块', PLACE],
    ['辐射安全', 'RADIATION', '放射源使用单位', PLACE],
    ['噪声污染', 'NOISE', '噪声敏感区', PLACE],
    ['秸秆焚烧', 'FIRE_POINTS', '秸秆焚烧监控片区', PLACE],
    ['固体废物倾倒', 'STOCK', '固废堆放点', PLACE],
  ]],
  ['公共卫生', 'WS', [
    ['传染病疫情', 'CASE_COUNT', '发热门诊', PLACE],
    ['食品安全', 'FAILED_SAMPLES', '食品经营单位', 'enterprise:餐饮 食品加工'],
    ['食物中毒', 'CASE_COUNT', '集体用餐单位', 'enterprise:餐饮'],
    ['集中式供水卫生', 'CHLORINE_LOW TURBIDITY', '集中式供水单位', PLACE],
    ['学校食堂', 'FAILED_SAMPLES', '学校食堂', PLACE],
    ['医院感染', 'CASE_COUNT', '医疗机构', PLACE],
    ['职业病危害', 'DUST NOISE', '职业病危害作业场所', 'enterprise:机械制造 建材'],
    ['动物疫病', 'CASE_COUNT', '动物疫病监测点', 'enterprise:畜禽养殖'],
    ['病媒生物', 'MOSQUITO', '病媒生物监测点', PLACE],
    ['药品安全', 'ADVERSE', '药品经营企业', 'enterprise:医药制造 零售'],
    ['疫苗管理', 'VACCINE_TEMP', '预防接种门诊', PLACE],
    ['冷链食品', 'FROZEN_TEMP', '冷链仓储', 'enterprise:物流'],
  ]],
  ['社会安全', 'SH', [
    ['大型活动', 'CROWD_DENSITY VISITORS', '大型活动场所', PLACE],
    ['人员聚集踩踏', 'CROWD_DENSITY', '人员聚集区域', PLACE],
    ['商圈客流', 'VISITORS CROWD_DENSITY', '商圈', PLACE],
    ['旅游景区', 'VISITORS CROWD_DENSITY', 'A级旅游景区', PLACE],
    ['校园安全', 'INTRUSION', '中小学校', PLACE],
    ['矛盾纠纷', 'PETITIONS', '矛盾纠纷重点区域', PLACE],
    ['网络安全', 'ATTACKS', '关键信息基础设施', PLACE],
    ['非法集资', 'COMPLAINTS', '非法集资风险点', PLACE],
    ['寄递物流安全', 'PARCEL_ALARMS', '寄递物流网点', 'enterprise:物流'],
    ['宗教活动场所', 'CROWD_DENSITY', '宗教活动场所', PLACE],
    ['养老机构', 'FIRE_ALARMS', '养老机构', PLACE],
    ['水域溺水', 'WATER_LEVEL', '野泳危险水域', PLACE],
  ]],
];

function parseLink(link: string): RiskLink {
  if (link === PLACE) return { kind: 'place' };
  if (link === SECTION) return { kind: 'section' };
  return {
    kind: 'enterprise',
    industries: link.slice('enterprise:'.length).split(' '),
  };
}

/** The 132 categories, in code order. */
export const RISK_CATEGORIES: readonly RiskCategorySpec[] = DOMAINS.flatMap(
  ([domain, prefix, rows]) =>
    rows.map(([name, metrics, noun, link], i) => ({
      code: `${prefix}${String(i + 1).padStart(2, '0')}`,
      name,
      domain,
      metrics: metrics.split(' '),
      noun,
      link: parseLink(link),
    })),
);

/**
 * Disposal measures (处置措施) by domain, in the order they are carried out;
 * an item takes 2–5 of them, keeping the order.
 */
// prettier-ignore
export const DISPOSAL_MEASURES: Readonly<Record<RiskDomain, readonly string[]>> = {
  自然灾害: ['加密巡查和监测频次', '发布预警信息并通知受威胁群众', '设置警示标志、封闭危险区域', '组织受威胁群众转移避险', '调派抢险救援力量和物资到位', '开展隐患排危除险', '统计灾情并及时上报', '灾后评估并恢复生产生活秩序'],
  安全生产: ['立即停止相关作业', '启动企业应急预案', '切断泄漏源、关闭紧急切断阀', '疏散作业人员并设置警戒区', '开展有毒可燃气体检测', '调派专业救援队伍处置', '向应急管理部门报告', '开展事故调查和隐患整改'],
  城市运行: ['现场核查并设置围挡警示', '通知权属单位抢修', '实施交通管制和分流', '启用备用设施保障运行', '组织人员疏散', '加强监测直至恢复正常', '向城市运行管理中心报告', '开展隐患整治并复核销号'],
  生态环境: ['核查上游排污单位排放情况', '加密断面水质监测频次', '责令超标企业限产或停产', '设置应急截污设施', '协调水电站调度加大下泄流量', '通知下游取水单位做好应对', '向生态环境部门报告', '开展污染溯源和损害评估'],
  公共卫生: ['开展流行病学调查', '封存可疑食品和样品送检', '落实病例隔离救治', '开展环境消杀', '向卫生健康部门报告', '加强重点人群健康监测', '发布健康提示', '开展风险评估并通报'],
  社会安全: ['增派警力和安保力量', '启动限流和单向通行', '开通应急疏散通道', '发布出行提示', '开展矛盾纠纷排查化解', '联动交通、商务等部门处置', '向属地治理中心报告', '处置完毕后复盘评估'],
};

/** The department that leads each domain, for notified parties. */
export const DOMAIN_DEPARTMENT: Readonly<Record<RiskDomain, string>> = {
  自然灾害: '规划自然资源局',
  安全生产: '应急管理局',
  城市运行: '城市管理局',
  生态环境: '生态环境局',
  公共卫生: '卫生健康委',
  社会安全: '公安分局',
};

/** Chinese labels of the threshold metrics, for alert titles and messages. */
// prettier-ignore
export const METRIC_LABELS: Readonly<Record<string, string>> = {
  FIRE_DANGER_LEVEL: '森林火险等级', AIR_TEMPERATURE: '气温', RELATIVE_HUMIDITY: '相对湿度', DISPLACEMENT: '累计位移',
  DISPLACEMENT_RATE: '位移速率', CRACK_WIDTH: '裂缝宽度', RAINFALL_24H: '24小时降雨量', RAINFALL_1H: '1小时降雨量',
  DEBRIS_FLOW_LEVEL: '泥位', SETTLEMENT: '沉降量', WATER_LEVEL: '水位', FLOW_RATE: '流量', WATER_DEPTH: '积水深度',
  CONSECUTIVE_DRY_DAYS: '连续无有效降雨日数', SOIL_MOISTURE: '土壤相对湿度', SEISMIC_MAGNITUDE: '地震震级', WIND_SPEED: '风速',
  LIGHTNING_STRIKES: '雷击次数', VISIBILITY: '能见度', SNOW_DEPTH: '积雪深度', SEEPAGE_FLOW: '渗流量', PEST_DENSITY: '虫口密度',
  COMBUSTIBLE_GAS: '可燃气体浓度', PRESSURE: '压力', MEDIUM_TEMPERATURE: '介质温度', LIQUID_LEVEL: '液位',
  HYDROGEN_SULFIDE: '硫化氢浓度', REACTOR_TEMPERATURE: '反应釜温度', OVERSPEED_EVENTS: '超速次数', FATIGUE_DRIVING_ALARMS: '疲劳驾驶报警',
  SATURATION_LINE_DEPTH: '浸润线埋深', DRY_BEACH_LENGTH: '干滩长度', PIPE_PRESSURE: '管网压力', LOAD_MOMENT_RATIO: '力矩比',
  TILT: '倾斜率', METHANE: '甲烷浓度', CARBON_MONOXIDE: '一氧化碳浓度', STORAGE_RATIO: '库存占比', DUST_CONCENTRATION: '粉尘浓度',
  AMMONIA: '氨气浓度', OXYGEN: '氧含量', COOLING_WATER_TEMPERATURE: '冷却水温度', KILN_TEMPERATURE: '窑温', VEHICLE_WEIGHT: '车货总重',
  PASSENGER_FLOW: '客流量', CROWD_DENSITY: '人群密度', VISITORS_TODAY: '当日累计客流', LEAK_ALARMS: '漏损报警', PIPE_FILL_RATIO: '管道充满度',
  LOAD_RATIO: '负载率', FIRE_ALARMS: '火警报警', FIRE_WATER_PRESSURE: '消防水压', CONGESTION_INDEX: '拥堵指数',
  LEACHATE_LEVEL: '渗滤液水位', TRAPPED_EVENTS: '电梯困人', DISSOLVED_OXYGEN: '溶解氧', AMMONIA_NITROGEN: '氨氮',
  PERMANGANATE_INDEX: '高锰酸盐指数', TOTAL_PHOSPHORUS: '总磷', PETROLEUM: '石油类', COD: '化学需氧量',
  AMMONIA_NITROGEN_DISCHARGE: '排放口氨氮', PM2_5: 'PM2.5', PM10: 'PM10', OZONE_8H: '臭氧8小时浓度', CADMIUM: '土壤镉含量',
  DOSE_RATE: '周围剂量当量率', NOISE: '噪声', FIRE_POINTS: '火点数', CHLOROPHYLL_A: '叶绿素a', CASE_COUNT: '病例数',
  FAILED_SAMPLES: '抽检不合格批次', RESIDUAL_CHLORINE: '余氯', TURBIDITY: '浊度', BRETEAU_INDEX: '布雷图指数',
  ADVERSE_REACTIONS: '不良反应报告', STORAGE_TEMPERATURE: '储存温度', INTRUSION_ALARMS: '入侵报警', PETITIONS: '信访量',
  ATTACK_EVENTS: '网络攻击事件', COMPLAINTS: '投诉量', PROHIBITED_ITEM_ALARMS: '违禁品报警',
};
