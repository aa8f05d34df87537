/**
 * The fields each kind of import file can fill, with the header names recognised without a
 * mapping (Chinese and English, the SPEC F-9 template's, and the exporter's own so that an export
 * reads back). The server's importer and exporter read them; the web's mapping screen offers them
 * as the targets of a column, labelled in the UI language.
 */
import type { ImportEntity } from './import-export';

export type ImportFieldType =
  | 'text'
  | 'date'
  | 'datetime'
  | 'amount'
  | 'number'
  | 'percent'
  | 'boolean'
  | 'priority'
  | 'status'
  | 'stage'
  | 'list';

export interface ImportFieldDef {
  key: string;
  type: ImportFieldType;
  zh: string;
  en: string;
  aliases?: string[];
  /** Longest text accepted. */
  max?: number;
  /** Written by the exporter but recomputed on import (read back and ignored). */
  exportOnly?: boolean;
}

const f = (
  key: string,
  type: ImportFieldType,
  zh: string,
  en: string,
  aliases: string[] = [],
  extra: Partial<ImportFieldDef> = {},
): ImportFieldDef => ({ key, type, zh, en, aliases, ...extra });

const OPPORTUNITY_FIELDS: ImportFieldDef[] = [
  f(
    'code',
    'text',
    '机会编号',
    'Code',
    ['线索编号', '商机编号', '编号', 'id', 'opportunity id', 'lead id', 'deal id'],
    { max: 60 },
  ),
  f(
    'name',
    'text',
    '机会名称',
    'Name',
    ['商机名称', '名称', 'opportunity name', 'opportunity', 'deal name', 'deal'],
    { max: 200 },
  ),
  f(
    'account',
    'text',
    '客户名称',
    'Account',
    ['客户', '公司名称', '公司', 'account name', 'customer', 'company', 'customer name'],
    { max: 200 },
  ),
  f('pipeline', 'text', '管道', 'Pipeline', ['销售管道'], { exportOnly: true }),
  f('stage', 'stage', '阶段', 'Stage', [
    '跟进阶段',
    '销售阶段',
    '商机阶段',
    '当前阶段',
    'deal stage',
    'stage name',
    'sales stage',
  ]),
  f('status', 'status', '状态', 'Status', ['机会状态', 'deal status']),
  f('owner', 'text', '负责人', 'Owner', [
    '负责销售',
    '销售代表',
    '销售',
    '跟进人',
    'owner name',
    'sales rep',
    'rep',
    'sales agent',
    'salesperson',
    'opportunity owner',
  ]),
  f('ownerEmail', 'text', '负责人邮箱', 'Owner e-mail', ['owner email', 'rep email']),
  f('team', 'text', '团队', 'Team', ['销售团队', 'sales team']),
  f('expectedAmount', 'amount', '预计成交金额', 'Expected amount', [
    '预计金额',
    '预算金额',
    'expected value',
    'estimated amount',
  ]),
  f('amount', 'amount', '成交金额', 'Amount', [
    '金额',
    '机会金额',
    'deal amount',
    'value',
    'deal value',
  ]),
  f('wonAmount', 'amount', '赢单金额', 'Won amount', [
    '合同金额',
    '签约金额',
    'contract amount',
    'close value',
    'closed amount',
  ]),
  f('wonDate', 'date', '签约日期', 'Won date', [
    '成交日期',
    '赢单日期',
    'signed date',
    'signing date',
  ]),
  f('expectedCloseDate', 'date', '预计成交时间', 'Expected close date', [
    '预计成交日期',
    '预计签约日期',
    '预计关单日期',
    'expected close',
  ]),
  f('closeDate', 'date', '关闭日期', 'Close date', ['结束日期', 'closedate']),
  f('acquiredAt', 'datetime', '获取时间', 'Acquired at', [
    '获取日期',
    '线索获取时间',
    '创建日期',
    'acquisition date',
    'acquired',
    'lead date',
    'first contact date',
  ]),
  f('createdAt', 'datetime', '创建时间', 'Created at', [
    '录入时间',
    'created',
    'created date',
    'createddate',
  ]),
  f('stageEnteredAt', 'datetime', '进入阶段时间', 'Stage entered at', [
    '阶段进入时间',
    'stage date',
    'last stage change date',
  ]),
  f('closedAt', 'datetime', '关闭时间', 'Closed at', ['结单时间', 'closed']),
  f(
    'source',
    'list',
    '来源渠道',
    'Source',
    ['线索来源', '来源', '渠道', 'lead source', 'channel', 'origin'],
    { max: 100 },
  ),
  f('sourceDetail', 'text', '来源说明', 'Source detail', ['具体渠道', 'source details'], {
    max: 200,
  }),
  f('industry', 'list', '行业', 'Industry', ['所属行业', 'sector'], { max: 100 }),
  f('region', 'list', '区域', 'Region', ['地区', '大区', 'territory'], { max: 100 }),
  f('productLine', 'list', '产品线', 'Product line', ['产品', 'product', 'product name'], {
    max: 100,
  }),
  f(
    'needsDescription',
    'text',
    '需求描述',
    'Needs description',
    ['线索描述', '需求', '客户需求', 'needs', 'description'],
    { max: 10_000 },
  ),
  f('budgetRange', 'text', '预算范围', 'Budget range', ['预算', 'budget'], { max: 200 }),
  f(
    'marketNotes',
    'text',
    '市场分析备注',
    'Market notes',
    ['市场备注', '备注', 'notes', 'remarks'],
    { max: 10_000 },
  ),
  f('partner', 'text', '合作伙伴', 'Partner', [], { max: 200 }),
  f('channelManager', 'text', '渠道经理', 'Channel manager', [], { max: 200 }),
  f('winProbability', 'percent', '赢率', 'Win probability', [
    '成交可能性',
    '成交概率',
    'probability',
    'win rate',
  ]),
  f('priority', 'priority', '优先级', 'Priority', ['重要程度']),
  f('computedPriority', 'priority', '计算优先级', 'Computed priority', [], { exportOnly: true }),
  f('priorityOverrideReason', 'text', '优先级调整原因', 'Priority override reason', [], {
    max: 500,
  }),
  f(
    'lossReason',
    'list',
    '未成交原因',
    'Loss reason',
    ['丢单原因', '输单原因', '失败原因', 'lost reason', 'reason lost'],
    { max: 100 },
  ),
  f('lostToCompetitor', 'text', '赢单竞争对手', 'Lost to competitor', ['竞争对手', 'competitor'], {
    max: 200,
  }),
  f('lossNote', 'text', '输单说明', 'Loss note', [], { max: 2000 }),
  f('postponeReason', 'text', '延期原因', 'Postpone reason', [], { max: 200 }),
  f('postponeRemedy', 'text', '弥补措施', 'Postpone remedy', [], { max: 2000 }),
  f('postponedUntil', 'date', '延期至', 'Postponed until', []),
  f('contactName', 'text', '联系人', 'Contact', ['联系人姓名', 'contact name'], { max: 100 }),
  f(
    'contactPhone',
    'text',
    '联系方式',
    'Contact phone',
    ['联系电话', '电话', '手机', 'phone', 'mobile'],
    { max: 100 },
  ),
  f('contactEmail', 'text', '联系人邮箱', 'Contact e-mail', ['邮箱', 'email', 'e-mail'], {
    max: 200,
  }),
  f('contactTitle', 'text', '联系人职位', 'Contact title', ['职位', 'title'], { max: 100 }),
  f(
    'followUpLog',
    'text',
    '跟进记录',
    'Follow-up log',
    ['跟进记录(最新)', '跟进情况', 'follow-ups', 'activity log'],
    { max: 10_000 },
  ),
  f('isClosed', 'boolean', '已关闭', 'Is closed', ['isclosed']),
  f('isWon', 'boolean', '已赢单', 'Is won', ['iswon']),
  f('lastOpenStage', 'stage', '关闭前阶段', 'Last open stage', []),
  f('nextFollowUpAt', 'datetime', '下次跟进时间', 'Next follow-up at', [], { exportOnly: true }),
  f('lastFollowUpAt', 'datetime', '最近跟进时间', 'Last follow-up at', [], { exportOnly: true }),
  f('updatedAt', 'datetime', '更新时间', 'Updated at', [], { exportOnly: true }),
];

const ACCOUNT_FIELDS: ImportFieldDef[] = [
  f(
    'name',
    'text',
    '客户名称',
    'Name',
    ['客户', '公司名称', '公司', 'account', 'account name', 'customer', 'company'],
    { max: 200 },
  ),
  f('industry', 'list', '行业', 'Industry', ['所属行业', 'sector'], { max: 100 }),
  f('employees', 'number', '员工人数', 'Employees', ['人数', '规模', 'employee count', 'size']),
  f('province', 'text', '省份', 'Province', ['省', 'state'], { max: 100 }),
  f('city', 'text', '城市', 'City', ['市'], { max: 100 }),
  f('region', 'list', '区域', 'Region', ['地区', 'office location', 'country'], { max: 100 }),
  f('tier', 'text', '客户分级', 'Tier', ['分级', '等级', 'grade']),
  f('owner', 'text', '负责人', 'Owner', ['客户负责人', 'account owner']),
  f('ownerEmail', 'text', '负责人邮箱', 'Owner e-mail', ['owner email']),
  f('openOpportunities', 'number', '进行中机会数', 'Open opportunities', [], { exportOnly: true }),
  f('createdAt', 'datetime', '创建时间', 'Created at', [], { exportOnly: true }),
];

const CONTACT_FIELDS: ImportFieldDef[] = [
  f('account', 'text', '客户名称', 'Account', ['客户', '公司', 'account name', 'company'], {
    max: 200,
  }),
  f('name', 'text', '联系人', 'Name', ['姓名', '联系人姓名', 'contact', 'contact name'], {
    max: 100,
  }),
  f('title', 'text', '职位', 'Title', ['职务', 'job title'], { max: 100 }),
  f('phone', 'text', '电话', 'Phone', ['联系方式', '联系电话', '手机', 'mobile'], { max: 100 }),
  f('email', 'text', '邮箱', 'E-mail', ['email', '电子邮件'], { max: 200 }),
  f('imHandle', 'text', '即时通讯', 'IM handle', ['微信', 'wechat', 'im'], { max: 100 }),
  f('decisionRole', 'text', '决策角色', 'Decision role', ['角色', 'role'], { max: 100 }),
  f('owner', 'text', '负责人', 'Owner', []),
  f('ownerEmail', 'text', '负责人邮箱', 'Owner e-mail', []),
  f('opportunityCodes', 'text', '关联机会', 'Opportunities', ['机会编号', 'opportunity codes']),
  f('masked', 'boolean', '已脱敏', 'Masked', [], { exportOnly: true }),
];

const FOLLOW_UP_FIELDS: ImportFieldDef[] = [
  f('opportunity', 'text', '机会编号', 'Opportunity', [
    '线索编号',
    '商机编号',
    'opportunity code',
    'code',
  ]),
  f('opportunityName', 'text', '机会名称', 'Opportunity name', [], { exportOnly: true }),
  f('owner', 'text', '负责人', 'Owner', ['跟进人']),
  f('ownerEmail', 'text', '负责人邮箱', 'Owner e-mail', []),
  f('status', 'text', '跟进状态', 'Status', ['状态']),
  f('method', 'text', '跟进方式', 'Method', ['方式', 'channel']),
  f('plannedAt', 'datetime', '计划时间', 'Planned at', ['计划跟进时间', 'due', 'due date']),
  f('goal', 'text', '跟进目标', 'Goal', ['目标'], { max: 2000 }),
  f('occurredAt', 'datetime', '跟进时间', 'Occurred at', ['沟通时间', 'date', 'activity date']),
  f('content', 'text', '跟进内容', 'Content', ['内容', '客户反馈', 'notes'], { max: 10_000 }),
  f('nextAction', 'text', '下一步行动', 'Next action', ['下一步'], { max: 2000 }),
  f('intentChange', 'text', '意向变化', 'Intent change', [], { max: 200 }),
];

const STAGE_HISTORY_FIELDS: ImportFieldDef[] = [
  f('opportunity', 'text', '机会编号', 'Opportunity', [
    '线索编号',
    'opportunity id',
    'oppid',
    'code',
  ]),
  f('stage', 'stage', '阶段', 'Stage', ['进入阶段', 'stage name', 'stagename', 'to stage']),
  f('changedAt', 'datetime', '变更时间', 'Changed at', [
    '日期',
    'date',
    'created date',
    'createddate',
  ]),
  f('reason', 'text', '变更原因', 'Reason', ['原因'], { max: 2000 }),
];

const OWNER_FIELDS: ImportFieldDef[] = [
  f('name', 'text', '姓名', 'Name', [
    '销售代表',
    '销售',
    'sales agent',
    'sales rep',
    'rep',
    'owner',
  ]),
  f('email', 'text', '邮箱', 'E-mail', ['email']),
  f('team', 'text', '团队', 'Team', ['小组', 'sales team']),
  f('parentTeam', 'text', '上级团队', 'Parent team', ['大区', 'regional office', 'region']),
  f('role', 'text', '角色', 'Role', []),
];

export const IMPORT_FIELDS: Record<ImportEntity, ImportFieldDef[]> = {
  opportunities: OPPORTUNITY_FIELDS,
  accounts: ACCOUNT_FIELDS,
  contacts: CONTACT_FIELDS,
  follow_ups: FOLLOW_UP_FIELDS,
  stage_history: STAGE_HISTORY_FIELDS,
  owners: OWNER_FIELDS,
  lookup: [],
};

/** Wildcard match (`*`) of a mapping's `file` against a file name, case-insensitive. */
export function fileMatches(pattern: string, fileName: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return regex.test(fileName);
}
