/**
 * Stage rules (SPEC F-2): ordered open stages, then the terminal won and lost stages. Moving
 * forward one stage is plain; skipping ahead or moving back needs a reason; terminal stages are
 * reached only by closing (won / lost). The stage gate lists fields that must be filled first.
 */
export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];
export const GATE_MODES = ['warn', 'block'] as const;
export type GateMode = (typeof GATE_MODES)[number];
export const FORECAST_CATEGORIES = ['pipeline', 'best_case', 'commit', 'omitted'] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

export interface StageLike {
  id: string;
  position: number;
  kind: StageKind;
}

export type MoveKind = 'forward' | 'skip' | 'back' | 'same';

/** Classifies a move between two open stages of one pipeline by their order. */
export function classifyMove(stages: readonly StageLike[], fromId: string, toId: string): MoveKind {
  const open = stages.filter((s) => s.kind === 'open').sort((a, b) => a.position - b.position);
  const from = open.findIndex((s) => s.id === fromId);
  const to = open.findIndex((s) => s.id === toId);
  if (from < 0 || to < 0)
    throw new Error('classifyMove: both stages must be open stages of the pipeline');
  if (to === from) return 'same';
  if (to === from + 1) return 'forward';
  return to > from ? 'skip' : 'back';
}

export function moveNeedsReason(kind: MoveKind): boolean {
  return kind === 'skip' || kind === 'back';
}

/** Opportunity fields a stage gate may require. `custom.<key>` names a custom field. */
export const GATE_FIELDS = [
  'needsDescription',
  'budgetRange',
  'expectedAmount',
  'expectedCloseDate',
  'source',
  'industry',
  'region',
  'productLine',
  'partner',
  'channelManager',
  'marketNotes',
  'contacts',
  'competitors',
] as const;
export type GateField = (typeof GATE_FIELDS)[number];

export function isGateField(field: string): boolean {
  return (
    (GATE_FIELDS as readonly string[]).includes(field) ||
    /^custom\.[a-z][a-z0-9_]{0,39}$/.test(field)
  );
}

function isFilled(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (typeof value === 'number') return value > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * The gate's fields still empty on an opportunity. `snapshot` holds the opportunity's fields,
 * `contacts`/`competitors` as arrays and `customFields` as an object.
 */
export function missingGateFields(
  requiredFields: readonly string[],
  snapshot: Record<string, unknown> & { customFields?: Record<string, unknown> },
): string[] {
  return requiredFields.filter((field) => {
    const value = field.startsWith('custom.')
      ? snapshot.customFields?.[field.slice('custom.'.length)]
      : snapshot[field];
    return !isFilled(value);
  });
}

export interface StagePreset {
  name: string;
  kind: StageKind;
  winProbability: number;
  standardDwellDays: number | null;
  standardCountRatio: number | null;
  entryCriteria?: string;
  keyActivities?: string;
  expectedResult?: string;
  requiredFields?: string[];
  gateMode?: GateMode;
  forecastCategory?: ForecastCategory;
}

export interface PipelinePreset {
  key: string;
  nameZh: string;
  nameEn: string;
  stages: StagePreset[];
}

const won = (name: string): StagePreset => ({
  name,
  kind: 'won',
  winProbability: 100,
  standardDwellDays: null,
  standardCountRatio: null,
  forecastCategory: 'commit',
});
const lost = (name: string): StagePreset => ({
  name,
  kind: 'lost',
  winProbability: 0,
  standardDwellDays: null,
  standardCountRatio: null,
  forecastCategory: 'omitted',
});

/** The stage templates of the seeds (SPEC F-2), selectable at setup. */
export const PIPELINE_PRESETS: PipelinePreset[] = [
  {
    key: 'standard6',
    nameZh: '标准六阶段',
    nameEn: 'Standard six stages',
    stages: [
      {
        name: '线索获取',
        kind: 'open',
        winProbability: 10,
        standardDwellDays: 7,
        standardCountRatio: 10,
        entryCriteria: '获取客户基本信息与联系方式',
        keyActivities: '初次联系,确认对接人',
        expectedResult: '确认客户有潜在需求',
      },
      {
        name: '需求确认',
        kind: 'open',
        winProbability: 20,
        standardDwellDays: 10,
        standardCountRatio: 6,
        entryCriteria: '客户明确表达需求与预算范围',
        keyActivities: '需求调研,识别决策链',
        expectedResult: '形成需求清单',
        requiredFields: ['needsDescription'],
        gateMode: 'warn',
      },
      {
        name: '方案呈现',
        kind: 'open',
        winProbability: 50,
        standardDwellDays: 14,
        standardCountRatio: 4,
        entryCriteria: '需求清单经客户确认',
        keyActivities: '方案制定与演示',
        expectedResult: '客户认可方案',
        requiredFields: ['needsDescription', 'expectedAmount', 'contacts'],
        gateMode: 'warn',
        forecastCategory: 'best_case',
      },
      {
        name: '商务谈判',
        kind: 'open',
        winProbability: 70,
        standardDwellDays: 14,
        standardCountRatio: 3,
        entryCriteria: '客户进入价格与条款讨论',
        keyActivities: '报价、谈判交付周期与付款方式',
        expectedResult: '商务条款达成一致',
        requiredFields: ['expectedAmount', 'expectedCloseDate'],
        gateMode: 'block',
        forecastCategory: 'best_case',
      },
      {
        name: '合同签订',
        kind: 'open',
        winProbability: 90,
        standardDwellDays: 7,
        standardCountRatio: 2,
        entryCriteria: '合同进入审批与签署流程',
        keyActivities: '合同审批、签署',
        expectedResult: '双方签署合同',
        requiredFields: ['expectedAmount', 'expectedCloseDate'],
        gateMode: 'block',
        forecastCategory: 'commit',
      },
      won('成交落地'),
      lost('输单'),
    ],
  },
  {
    key: 'lead5',
    nameZh: '线索五阶段',
    nameEn: 'Lead five stages',
    stages: [
      {
        name: '初识',
        kind: 'open',
        winProbability: 10,
        standardDwellDays: 7,
        standardCountRatio: 10,
      },
      {
        name: '意向明确',
        kind: 'open',
        winProbability: 20,
        standardDwellDays: 10,
        standardCountRatio: 6,
      },
      {
        name: '方案对比',
        kind: 'open',
        winProbability: 50,
        standardDwellDays: 14,
        standardCountRatio: 4,
        forecastCategory: 'best_case',
      },
      {
        name: '商务谈判',
        kind: 'open',
        winProbability: 70,
        standardDwellDays: 14,
        standardCountRatio: 3,
        forecastCategory: 'commit',
      },
      won('成交'),
      lost('未成交'),
    ],
  },
  {
    key: 'customer6',
    nameZh: '客户六阶段',
    nameEn: 'Customer six stages',
    stages: [
      {
        name: '潜在客户',
        kind: 'open',
        winProbability: 10,
        standardDwellDays: 7,
        standardCountRatio: 20,
      },
      {
        name: '意向客户',
        kind: 'open',
        winProbability: 20,
        standardDwellDays: 10,
        standardCountRatio: 10,
      },
      {
        name: '需求明确',
        kind: 'open',
        winProbability: 30,
        standardDwellDays: 10,
        standardCountRatio: 8,
      },
      {
        name: '方案定制',
        kind: 'open',
        winProbability: 50,
        standardDwellDays: 14,
        standardCountRatio: 6,
        forecastCategory: 'best_case',
      },
      {
        name: '价格谈判',
        kind: 'open',
        winProbability: 70,
        standardDwellDays: 14,
        standardCountRatio: 3,
        forecastCategory: 'commit',
      },
      won('成交'),
      lost('输单'),
    ],
  },
  {
    key: 'marketing',
    nameZh: '营销漏斗',
    nameEn: 'Marketing funnel',
    stages: [
      {
        name: '认知',
        kind: 'open',
        winProbability: 0,
        standardDwellDays: 14,
        standardCountRatio: 100,
      },
      {
        name: '兴趣',
        kind: 'open',
        winProbability: 10,
        standardDwellDays: 14,
        standardCountRatio: 40,
      },
      {
        name: '意向',
        kind: 'open',
        winProbability: 20,
        standardDwellDays: 14,
        standardCountRatio: 10,
      },
      {
        name: '谈判',
        kind: 'open',
        winProbability: 70,
        standardDwellDays: 14,
        standardCountRatio: 3,
        forecastCategory: 'commit',
      },
      won('成交'),
      lost('流失'),
    ],
  },
  {
    key: 'forecast7',
    nameZh: '预测权重七阶段',
    nameEn: 'Forecast-weight stages',
    stages: [
      {
        name: '目标客户',
        kind: 'open',
        winProbability: 0,
        standardDwellDays: 14,
        standardCountRatio: null,
      },
      {
        name: '潜在客户',
        kind: 'open',
        winProbability: 10,
        standardDwellDays: 14,
        standardCountRatio: null,
      },
      {
        name: '意向客户',
        kind: 'open',
        winProbability: 20,
        standardDwellDays: 14,
        standardCountRatio: 10,
      },
      {
        name: '立项',
        kind: 'open',
        winProbability: 30,
        standardDwellDays: 14,
        standardCountRatio: null,
      },
      {
        name: '方案',
        kind: 'open',
        winProbability: 50,
        standardDwellDays: 14,
        standardCountRatio: 6,
        forecastCategory: 'best_case',
      },
      {
        name: '商务谈判',
        kind: 'open',
        winProbability: 70,
        standardDwellDays: 14,
        standardCountRatio: 3,
        forecastCategory: 'commit',
      },
      { ...won('成交'), standardCountRatio: 2 },
      lost('输单'),
    ],
  },
];

/** Structural problems of a stage list (one won, one lost, terminal stages last), or null. */
export function validateStageList(
  stages: readonly { kind: StageKind; name: string }[],
): string | null {
  if (stages.filter((s) => s.kind === 'won').length !== 1) return 'one_won';
  if (stages.filter((s) => s.kind === 'lost').length !== 1) return 'one_lost';
  if (!stages.some((s) => s.kind === 'open')) return 'one_open';
  const firstTerminal = stages.findIndex((s) => s.kind !== 'open');
  if (stages.slice(firstTerminal).some((s) => s.kind === 'open')) return 'terminal_last';
  const names = new Set(stages.map((s) => s.name.trim()));
  if (names.size !== stages.length) return 'unique_names';
  return null;
}
