/**
 * The rivers of the seeded world: the three through-flowing rivers, the
 * rivers of the two water scenarios and one or more local rivers rising in
 * every district or county. Names are real rivers of Chongqing; lengths are
 * the approximate length inside Chongqing; positions on a river are km from
 * where it rises (or enters Chongqing). Courses are schematic.
 */
export interface RiverSpec {
  /** `R-` + pinyin, e.g. `R-PUHE`. */
  id: string;
  /** Pinyin used in the ids of sections, stations and intakes. */
  slug: string;
  name: string;
  lengthKm: number;
  /** District or county where the river rises (or enters Chongqing). */
  regionCode: string;
  parentId?: string;
  confluenceKm?: number;
  /**
   * Known course as `[km, latitude, longitude]`, from km 0. For a tributary
   * the confluence with the parent is appended; without a course one is
   * generated from the region's centroid to the confluence.
   */
  course?: readonly (readonly [number, number, number])[];
  /** Basin of a river that does not reach the Yangtze inside Chongqing. */
  basin?: string;
  /** Districts whose streets the river's sites are located in. */
  districts: readonly string[];
  /** GB 3838-2002 target class of its monitoring sections. */
  targetClass: 'II' | 'III' | 'IV';
}

type Row = [
  slug: string,
  name: string,
  lengthKm: number,
  regionCode: string,
  parent: string | null,
  confluenceKm: number | null,
  targetClass: 'II' | 'III' | 'IV',
  districts: string,
];

const YANGTZE_DISTRICTS =
  '500118 500116 500104 500107 500103 500108 500105 500113 500112 500115 500102 500230 500233 500240 500101 500235 500236 500237';

// prettier-ignore
const ROWS: readonly Row[] = [
  ['CHANGJIANG', '长江', 691, '500116', null, null, 'II', YANGTZE_DISTRICTS],
  ['JIALING', '嘉陵江', 153, '500117', 'CHANGJIANG', 180, 'II', '500117 500109 500106 500105 500112 500103'],
  ['WUJIANG', '乌江', 223, '500242', 'CHANGJIANG', 300, 'II', '500242 500243 500156 500102'],
  ['QIJIANG', '綦江', 153, '500110', 'CHANGJIANG', 65, 'III', '500110 500116'],
  ['PUHE', '蒲河', 62, '500110', 'QIJIANG', 105, 'III', '500110'],
  ['TONGHUI', '通惠河', 35, '500110', 'QIJIANG', 92, 'III', '500110'],
  ['ZAODU', '藻渡河', 60, '500110', 'QIJIANG', 40, 'III', '500110'],
  ['XIAOZI', '孝子河', 40, '500110', 'QIJIANG', 70, 'III', '500110'],
  ['RUXI', '汝溪河', 100, '500155', 'CHANGJIANG', 432, 'III', '500155'],
  ['LONGXI', '龙溪河', 218, '500155', 'CHANGJIANG', 262, 'III', '500155 500231 500115'],
  ['PULI', '普里河', 110, '500155', null, null, 'III', '500155 500154'],
  ['LINJIANG', '临江河', 88, '500118', 'CHANGJIANG', 20, 'III', '500118'],
  ['BINAN', '璧南河', 74, '500120', 'CHANGJIANG', 75, 'III', '500120 500116'],
  ['SUNXI', '笋溪河', 110, '500116', 'QIJIANG', 140, 'III', '500116'],
  ['TIAODENG', '跳磴河', 25, '500104', 'CHANGJIANG', 150, 'IV', '500104'],
  ['DAXI', '大溪河', 45, '500107', 'CHANGJIANG', 145, 'IV', '500107'],
  ['YIPIN', '一品河', 45, '500113', 'CHANGJIANG', 170, 'III', '500113'],
  ['QINGSHUIXI', '清水溪', 20, '500108', 'CHANGJIANG', 185, 'IV', '500108'],
  ['CHAOYANG', '朝阳河', 18, '500105', 'CHANGJIANG', 190, 'IV', '500105'],
  ['YULIN', '御临河', 95, '500112', 'CHANGJIANG', 230, 'III', '500112'],
  ['TAOHUAXI', '桃花溪', 40, '500115', 'CHANGJIANG', 255, 'III', '500115'],
  ['LIXIANGXI', '梨香溪', 65, '500102', 'CHANGJIANG', 310, 'III', '500102'],
  ['QUXI', '渠溪河', 93, '500230', 'CHANGJIANG', 340, 'III', '500230'],
  ['LONGHE', '龙河', 161, '500240', 'CHANGJIANG', 352, 'III', '500240 500230'],
  ['HUANGJIN', '黄金河', 70, '500233', 'CHANGJIANG', 410, 'III', '500233'],
  ['ZHUXI', '苎溪河', 30, '500101', 'CHANGJIANG', 500, 'III', '500101'],
  ['PENGXI', '澎溪河', 182, '500154', 'CHANGJIANG', 545, 'III', '500154 500235'],
  ['TANGXI', '汤溪河', 108, '500235', 'CHANGJIANG', 555, 'III', '500235'],
  ['MEIXI', '梅溪河', 113, '500236', 'CHANGJIANG', 625, 'III', '500236'],
  ['DANING', '大宁河', 162, '500238', 'CHANGJIANG', 668, 'II', '500238 500237'],
  ['BAOLONG', '抱龙河', 55, '500237', 'CHANGJIANG', 675, 'III', '500237'],
  ['QUJIANG', '渠江', 60, '500117', 'JIALING', 38, 'III', '500117'],
  ['FUJIANG', '涪江', 120, '500152', 'JIALING', 42, 'III', '500152 500117'],
  ['QIONGJIANG', '琼江', 90, '500152', 'FUJIANG', 70, 'III', '500152 500151'],
  ['XIAOANXI', '小安溪', 110, '500151', 'FUJIANG', 110, 'III', '500151 500111 500117'],
  ['HEISHUITAN', '黑水滩河', 60, '500109', 'JIALING', 85, 'III', '500109'],
  ['LIANGTAN', '梁滩河', 88, '500106', 'JIALING', 100, 'IV', '500106 500109'],
  ['APENG', '阿蓬江', 130, '500114', 'WUJIANG', 40, 'III', '500114 500242'],
  ['YUJIANG', '郁江', 80, '500243', 'WUJIANG', 95, 'III', '500243'],
  ['FURONG', '芙蓉江', 70, '500156', 'WUJIANG', 150, 'II', '500156'],
  ['FENGZUI', '凤嘴江', 70, '500119', null, null, 'III', '500119'],
  ['YOUSHUI', '酉水', 100, '500242', null, null, 'II', '500242 500241'],
  ['MEIJIANG', '梅江', 70, '500241', 'YOUSHUI', 60, 'III', '500241'],
  ['RENHE', '任河', 100, '500229', null, null, 'II', '500229'],
  ['LAIXI', '濑溪河', 120, '500111', null, null, 'III', '500111 500153'],
  ['QINGLIU', '清流河', 80, '500153', 'LAIXI', 40, 'III', '500153'],
  ['GAOTAN', '高滩河', 60, '500231', 'LONGXI', 120, 'III', '500231'],
];

/** Known courses, `[km, latitude, longitude]`. */
// prettier-ignore
const COURSES: Readonly<Record<string, readonly (readonly [number, number, number])[]>> = {
  CHANGJIANG: [[0, 29.02, 105.88], [70, 29.29, 106.26], [140, 29.45, 106.47], [180, 29.566, 106.588], [220, 29.66, 106.85], [260, 29.83, 107.05], [300, 29.71, 107.39], [350, 29.88, 107.73], [420, 30.29, 108.03], [500, 30.8, 108.4], [540, 30.93, 108.7], [625, 31.03, 109.46], [668, 31.07, 109.9], [691, 31.04, 110.12]],
  JIALING: [[0, 30.22, 106.15], [40, 29.97, 106.28], [90, 29.83, 106.42], [130, 29.62, 106.5]],
  WUJIANG: [[0, 28.55, 108.45], [45, 28.93, 108.36], [95, 29.29, 108.17], [160, 29.33, 107.76]],
  QIJIANG: [[0, 28.55, 106.8], [60, 28.95, 106.65], [90, 29.03, 106.65]],
  PUHE: [[0, 29.33, 106.78], [22, 29.22, 106.68], [40, 29.15, 106.6]],
  RUXI: [[0, 30.86, 107.62], [30, 30.7, 107.7], [60, 30.58, 107.8], [72, 30.52, 107.87]],
};

/**
 * Basins of the rivers that do not reach the Yangtze inside Chongqing; the
 * basin of the others is derived from their parents.
 */
const ROOT_BASINS: Readonly<Record<string, string>> = {
  LAIXI: '沱江',
  RENHE: '汉江',
  YOUSHUI: '沅江',
  FENGZUI: '乌江',
};

/** Every river, parents before their tributaries. */
export const RIVERS: readonly RiverSpec[] = ROWS.map(
  ([
    slug,
    name,
    lengthKm,
    regionCode,
    parent,
    confluenceKm,
    targetClass,
    districts,
  ]) => {
    const course = COURSES[slug];
    const basin = ROOT_BASINS[slug];
    return {
      id: `R-${slug}`,
      slug,
      name,
      lengthKm,
      regionCode,
      ...(parent !== null && confluenceKm !== null
        ? { parentId: `R-${parent}`, confluenceKm }
        : {}),
      ...(course ? { course } : {}),
      ...(basin ? { basin } : {}),
      districts: districts.split(' '),
      targetClass,
    };
  },
);
