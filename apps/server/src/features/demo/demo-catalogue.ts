/** Reference values for demo and benchmark data: zh-CN first, English labels beside. */
export interface Labelled {
  code: string;
  zh: string;
  en: string;
}

export interface SourceProfile extends Labelled {
  weight: number;
  /** multiplies each stage's advance probability */
  quality: number;
  /** multiplies the typical amount */
  size: number;
}

export const SOURCES: SourceProfile[] = [
  { code: 'website', zh: '官网注册', en: 'Website sign-up', weight: 30, quality: 0.82, size: 0.7 },
  { code: 'trade_show', zh: '行业展会', en: 'Trade show', weight: 18, quality: 1.05, size: 1.1 },
  { code: 'referral', zh: '转介绍', en: 'Referral', weight: 12, quality: 1.2, size: 1.3 },
  { code: 'social', zh: '社交媒体', en: 'Social media', weight: 16, quality: 0.85, size: 0.6 },
  { code: 'search_ads', zh: '搜索引擎广告', en: 'Search ads', weight: 14, quality: 0.9, size: 0.8 },
  {
    code: 'offline_event',
    zh: '线下活动',
    en: 'Offline event',
    weight: 8,
    quality: 1.0,
    size: 1.0,
  },
  { code: 'other', zh: '其他', en: 'Other', weight: 2, quality: 0.9, size: 0.9 },
];

export const INDUSTRIES: Labelled[] = [
  { code: 'manufacturing', zh: '制造业', en: 'Manufacturing' },
  { code: 'software', zh: '软件与信息服务', en: 'Software & IT services' },
  { code: 'retail', zh: '零售', en: 'Retail' },
  { code: 'finance', zh: '金融', en: 'Finance' },
  { code: 'healthcare', zh: '医疗健康', en: 'Healthcare' },
  { code: 'education', zh: '教育', en: 'Education' },
  { code: 'logistics', zh: '物流', en: 'Logistics' },
  { code: 'energy', zh: '能源', en: 'Energy' },
];

export const REGIONS: (Labelled & { provinces: [string, string[]][] })[] = [
  {
    code: 'east',
    zh: '华东',
    en: 'East China',
    provinces: [
      ['上海', ['上海']],
      ['江苏', ['南京', '苏州', '无锡']],
      ['浙江', ['杭州', '宁波']],
    ],
  },
  {
    code: 'north',
    zh: '华北',
    en: 'North China',
    provinces: [
      ['北京', ['北京']],
      ['天津', ['天津']],
      ['河北', ['石家庄']],
    ],
  },
  {
    code: 'south',
    zh: '华南',
    en: 'South China',
    provinces: [
      ['广东', ['广州', '深圳', '东莞']],
      ['福建', ['厦门', '福州']],
    ],
  },
  {
    code: 'west',
    zh: '西部',
    en: 'West China',
    provinces: [
      ['四川', ['成都']],
      ['重庆', ['重庆']],
      ['陕西', ['西安']],
    ],
  },
];

export const PRODUCT_LINES: (Labelled & { medianWan: number })[] = [
  { code: 'erp', zh: 'ERP 系统', en: 'ERP suite', medianWan: 45 },
  { code: 'crm', zh: 'CRM 系统', en: 'CRM', medianWan: 12 },
  { code: 'office', zh: '办公软件', en: 'Office software', medianWan: 3 },
  { code: 'servers', zh: '服务器硬件', en: 'Server hardware', medianWan: 30 },
  { code: 'services', zh: '实施服务', en: 'Implementation services', medianWan: 20 },
];

export const LOSS_REASONS: Labelled[] = [
  { code: 'price_too_high', zh: '价格过高', en: 'Price too high' },
  { code: 'competitor_advantage', zh: '竞品优势明显', en: 'Competitor clearly stronger' },
  { code: 'no_budget', zh: '预算不足', en: 'No budget' },
  { code: 'needs_changed', zh: '需求变更', en: 'Needs changed' },
  { code: 'chose_competitor', zh: '客户选择竞争对手', en: 'Customer chose a competitor' },
  { code: 'no_response', zh: '客户无回应', en: 'Customer stopped responding' },
];

/** Loss reasons by stage index (0-based open stage): early losses are budget/needs, late ones price/competitor. */
export const LOSS_REASONS_BY_STAGE: string[][] = [
  ['no_response', 'no_budget', 'needs_changed'],
  ['no_budget', 'needs_changed', 'no_response'],
  ['competitor_advantage', 'price_too_high', 'needs_changed'],
  ['price_too_high', 'chose_competitor', 'competitor_advantage'],
  ['chose_competitor', 'price_too_high', 'no_budget'],
];

export const POSTPONE_REASONS: Labelled[] = [
  { code: 'budget_next_year', zh: '预算推迟到明年', en: 'Budget moved to next year' },
  { code: 'reorganisation', zh: '客户组织调整', en: 'Customer reorganising' },
  { code: 'project_paused', zh: '项目暂停', en: 'Project paused' },
];

export const COMPETITORS = [
  { name: '用友网络科技股份有限公司', strengths: '本地化实施团队多,价格灵活' },
  { name: '金蝶软件(中国)有限公司', strengths: '中小企业客户基础大,云产品成熟' },
  { name: 'Salesforce', strengths: 'Brand and ecosystem; strong in multinationals' },
  { name: '纷享销客', strengths: '移动端体验好,报价低' },
  { name: 'SAP', strengths: 'Deep manufacturing ERP, large references' },
];

const CITY_PREFIXES = [
  '北京',
  '上海',
  '深圳',
  '杭州',
  '苏州',
  '南京',
  '成都',
  '武汉',
  '西安',
  '广州',
  '天津',
  '重庆',
  '宁波',
  '厦门',
  '青岛',
];
const NAME_CORES = [
  '星辰',
  '华科',
  '瑞达',
  '恒信',
  '博远',
  '中联',
  '天成',
  '锐思',
  '创新',
  '宏图',
  '智联',
  '新锐',
  '东方',
  '海纳',
  '金桥',
  '汇通',
  '卓越',
  '启明',
  '鼎盛',
  '云帆',
  '远景',
  '润泽',
  '安捷',
  '德信',
  '嘉禾',
  '九州',
  '长青',
  '正泰',
  '联创',
  '明德',
];
const NAME_TRADES: Record<string, string[]> = {
  manufacturing: ['精密制造', '机械', '电子科技', '新材料'],
  software: ['信息技术', '软件', '网络科技', '数据科技'],
  retail: ['商贸', '零售连锁', '电子商务'],
  finance: ['投资管理', '融资租赁', '保险代理'],
  healthcare: ['医疗器械', '生物科技', '健康管理'],
  education: ['教育科技', '培训学校', '文化传播'],
  logistics: ['物流', '供应链管理', '国际货运'],
  energy: ['新能源', '电力科技', '节能环保'],
};
const LEGAL_FORMS = ['有限公司', '股份有限公司', '有限责任公司'];
const EN_CORES = [
  'Apex',
  'Blue River',
  'Northwind',
  'Summit',
  'Evergreen',
  'Harbor',
  'Ironwood',
  'Lumen',
  'Pioneer',
  'Silverline',
];
const EN_TRADES = [
  'Manufacturing',
  'Systems',
  'Logistics',
  'Health',
  'Retail Group',
  'Energy',
  'Software',
  'Holdings',
];
const EN_FORMS = ['Co., Ltd.', 'Inc.', 'Limited', 'LLC'];

export function companyName(
  pick: <T>(items: readonly T[]) => T,
  industry: string,
  english: boolean,
  serial: number,
): string {
  if (english)
    return `${pick(EN_CORES)} ${pick(EN_TRADES)} ${serial > 0 ? serial + ' ' : ''}${pick(EN_FORMS)}`;
  const trade = pick(NAME_TRADES[industry] ?? ['科技']);
  return `${pick(CITY_PREFIXES)}${pick(NAME_CORES)}${serial > 0 ? serial : ''}${trade}${pick(LEGAL_FORMS)}`;
}

// 股份有限公司 before 有限公司: the longest form a name ends with is its form.
const FORMS_LONGEST_FIRST = [...LEGAL_FORMS, ...EN_FORMS].sort((a, b) => b.length - a.length);

/** The name people say: without the legal form (天津德信电子商务, Evergreen Manufacturing). */
export function shortCompanyName(name: string): string {
  const form = FORMS_LONGEST_FIRST.find((f) => name.endsWith(f));
  return form ? name.slice(0, -form.length).trim() : name;
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '强',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '涛',
  '明',
  '超',
  '霞',
  '平',
  '刚',
  '婷',
  '浩',
];
const EN_FIRST = [
  'Alice',
  'Brian',
  'Chloe',
  'David',
  'Emma',
  'Frank',
  'Grace',
  'Henry',
  'Irene',
  'Jack',
];
const EN_LAST = ['Smith', 'Chen', 'Wong', 'Johnson', 'Lee', 'Brown', 'Garcia', 'Miller'];
export const TITLES = [
  '总经理',
  '采购经理',
  'IT 总监',
  '财务总监',
  '运营总监',
  '技术负责人',
  'CIO',
  'Procurement Manager',
];
export const DECISION_ROLES = ['决策者', '影响者', '使用者', '把关者'];

export function personName(pick: <T>(items: readonly T[]) => T, english: boolean): string {
  return english
    ? `${pick(EN_FIRST)} ${pick(EN_LAST)}`
    : pick(SURNAMES) + pick(GIVEN) + (pick([true, false]) ? pick(GIVEN) : '');
}

export const INTENT_CHANGES = [
  '观望 → 积极',
  '积极 → 观望',
  '提出价格异议',
  '要求补充案例',
  '确认预算',
  '引入新的决策人',
  null,
  null,
  null,
];
export const FOLLOW_UP_CONTENT = [
  '电话沟通需求细节,客户关注实施周期',
  '拜访客户,演示产品核心功能',
  '发送方案与报价单,等待反馈',
  '线上会议讨论技术对接方案',
  '客户反馈竞品报价更低,需突出定制化服务',
  '确认采购流程与决策链',
  'Followed up by e-mail on the proposal; customer asked for references',
  '微信沟通合同条款',
];
