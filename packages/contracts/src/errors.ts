/**
 * Every error the API answers with has a machine-readable code; the message is translated into
 * the requester's language. The HTTP status of each code lives in the server's error handler.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'ROUTE_NOT_FOUND',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'RATE_LIMITED',
  'CSRF_FAILED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VERSION_CONFLICT',
  'DUPLICATE',
  'STAGE_GATE_UNMET',
  'REASON_REQUIRED',
  'INVALID_STAGE_MOVE',
  'OPPORTUNITY_CLOSED',
  'OPPORTUNITY_NOT_CLOSED',
  'IN_USE',
  'INTERNAL_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  path: string;
  message: string;
  /** A stable key for the kind of problem (required, too_big, invalid_type, ...). */
  code: string;
}

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    fields?: FieldError[];
    details?: Record<string, unknown>;
  };
}

export type Locale = 'en' | 'zh-CN';

export function pickLocale(acceptLanguage: string | undefined | null): Locale {
  if (!acceptLanguage) return 'en';
  const first = acceptLanguage.split(',')[0]!.trim().toLowerCase();
  return first.startsWith('zh') ? 'zh-CN' : 'en';
}

type Params = Record<string, string | number | undefined>;
type Catalogue = Record<string, string>;

const en: Catalogue = {
  VALIDATION_FAILED: 'Some fields are not valid.',
  MALFORMED_JSON: 'The request body is not valid JSON.',
  UNSUPPORTED_MEDIA_TYPE: 'Send the request body as application/json.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  ROUTE_NOT_FOUND: 'There is no such endpoint: {method} {url}.',
  UNAUTHENTICATED: 'Sign in first.',
  INVALID_CREDENTIALS: 'The e-mail or password is wrong.',
  RATE_LIMITED: 'Too many attempts; try again in {seconds} seconds.',
  CSRF_FAILED: 'The request is missing its CSRF token; reload the page.',
  FORBIDDEN: 'You are not allowed to do this.',
  NOT_FOUND: 'This {entity} does not exist or is not visible to you.',
  VERSION_CONFLICT:
    'Someone else changed this {entity} meanwhile (version {current}); reload and try again.',
  DUPLICATE: 'A {entity} with this {field} already exists.',
  STAGE_GATE_UNMET: 'Fill in {fields} before entering the stage "{stage}".',
  REASON_REQUIRED: 'Say why: a reason is required to {action}.',
  INVALID_STAGE_MOVE: 'This move is not possible: {why}.',
  OPPORTUNITY_CLOSED: 'The opportunity is {status}; reopen it first.',
  OPPORTUNITY_NOT_CLOSED: 'The opportunity is still open.',
  IN_USE: 'This {entity} is still in use by {count} records.',
  INTERNAL_ERROR: 'Something went wrong on our side; the error was logged.',
  // field-level problems
  'field.required': 'Required.',
  'field.invalid_type': 'Expected {expected}.',
  'field.too_small.string': 'Must be at least {minimum} characters.',
  'field.too_big.string': 'Must be at most {maximum} characters.',
  'field.too_small.number': 'Must be at least {minimum}.',
  'field.too_big.number': 'Must be at most {maximum}.',
  'field.too_small.array': 'Needs at least {minimum} items.',
  'field.too_big.array': 'At most {maximum} items.',
  'field.invalid_value': 'Must be one of: {values}.',
  'field.invalid_format': 'Not a valid {format}.',
  'field.unrecognized_keys': 'Unknown field.',
  'field.not_integer': 'Must be a whole number.',
  'field.money': 'Must be an amount from 0 to 10,000,000,000,000 with at most two decimals.',
  'field.time_zone': 'Not a known time zone.',
  'field.code_format': 'Not a valid code format (one {SEQ:n}; tokens {YYYY} {YY} {MM}).',
  'field.unknown_value': 'Not one of this workspace\'s values: "{value}".',
  'field.unknown_reference': 'No such {entity}.',
  'field.other_needs_detail': 'Say which source when the source is "other".',
  'field.stage_list':
    'The stages must have one won and one lost stage, last, with unique names ({why}).',
  'field.invalid': 'Not valid.',
  'field.positive_amount': 'Must be an amount greater than 0.',
  'field.counts_increase':
    'Each stage needs at most as many opportunities as the stage before it (e.g. 10:6:3:2).',
  'field.no_wins_in_cohort':
    'No opportunity created from {from} to {to} was won yet: choose another period or enter the conversion.',
  'field.custom_field_unknown': 'Unknown custom field.',
  'field.custom_field_type': 'Must be a {type}.',
  'field.duplicate': 'Already taken.',
  'field.date_order': 'Must not be before {other}.',
  'field.in_future': 'Must not be in the future.',
  'field.last_admin': 'The workspace needs at least one admin.',
  'field.cycle': 'A team cannot be its own ancestor.',
};

const zh: Catalogue = {
  VALIDATION_FAILED: '部分字段不合法。',
  MALFORMED_JSON: '请求体不是合法的 JSON。',
  UNSUPPORTED_MEDIA_TYPE: '请以 application/json 发送请求体。',
  PAYLOAD_TOO_LARGE: '请求体过大。',
  ROUTE_NOT_FOUND: '不存在该接口:{method} {url}。',
  UNAUTHENTICATED: '请先登录。',
  INVALID_CREDENTIALS: '邮箱或密码错误。',
  RATE_LIMITED: '尝试次数过多,请 {seconds} 秒后再试。',
  CSRF_FAILED: '请求缺少 CSRF 令牌,请刷新页面。',
  FORBIDDEN: '您无权执行此操作。',
  NOT_FOUND: '该{entity}不存在或您无权查看。',
  VERSION_CONFLICT: '该{entity}已被他人修改(当前版本 {current}),请刷新后重试。',
  DUPLICATE: '已存在相同{field}的{entity}。',
  STAGE_GATE_UNMET: '进入阶段「{stage}」前请填写:{fields}。',
  REASON_REQUIRED: '请填写原因:{action}时必须说明原因。',
  INVALID_STAGE_MOVE: '无法执行此阶段变更:{why}。',
  OPPORTUNITY_CLOSED: '该机会已{status},请先重新打开。',
  OPPORTUNITY_NOT_CLOSED: '该机会仍在进行中。',
  IN_USE: '该{entity}仍被 {count} 条记录使用。',
  INTERNAL_ERROR: '服务器内部错误,已记录日志。',
  'field.required': '必填。',
  'field.invalid_type': '应为{expected}。',
  'field.too_small.string': '至少 {minimum} 个字符。',
  'field.too_big.string': '最多 {maximum} 个字符。',
  'field.too_small.number': '不能小于 {minimum}。',
  'field.too_big.number': '不能大于 {maximum}。',
  'field.too_small.array': '至少 {minimum} 项。',
  'field.too_big.array': '最多 {maximum} 项。',
  'field.invalid_value': '必须是以下之一:{values}。',
  'field.invalid_format': '不是合法的{format}。',
  'field.unrecognized_keys': '未知字段。',
  'field.not_integer': '必须是整数。',
  'field.money': '金额须在 0 到 10 万亿之间且最多两位小数。',
  'field.time_zone': '未知的时区。',
  'field.code_format': '编号格式不合法(须含一个 {SEQ:n},可用 {YYYY} {YY} {MM})。',
  'field.unknown_value': '不是本工作区的可选值:「{value}」。',
  'field.unknown_reference': '不存在该{entity}。',
  'field.other_needs_detail': '来源为「其他」时须注明具体渠道。',
  'field.stage_list': '阶段须包含一个赢单和一个输单阶段且位于最后,名称不可重复({why})。',
  'field.invalid': '不合法。',
  'field.positive_amount': '金额须大于 0。',
  'field.counts_increase': '每个阶段的数量不能多于上一阶段(例如 10:6:3:2)。',
  'field.no_wins_in_cohort': '{from} 至 {to} 创建的机会中还没有赢单:请换一个期间或直接填写转化率。',
  'field.custom_field_unknown': '未知的自定义字段。',
  'field.custom_field_type': '应为{type}。',
  'field.duplicate': '已被占用。',
  'field.date_order': '不能早于{other}。',
  'field.in_future': '不能是将来的时间。',
  'field.last_admin': '工作区至少需要一名管理员。',
  'field.cycle': '团队不能成为自己的上级。',
};

const entityNames: Record<Locale, Record<string, string>> = {
  en: {
    skip: 'skip stages',
    move_back: 'move back',
    enter_later_stage: 'enter a later stage',
    override_priority: 'override the priority',
    close_won_instead: 'close it as won instead',
    close_lost_instead: 'close it as lost instead',
    close_instead: 'a new opportunity starts in an open stage',
    same_stage: 'it is already in this stage',
  },
  'zh-CN': {
    opportunity: '机会',
    account: '客户',
    contact: '联系人',
    user: '用户',
    team: '团队',
    pipeline: '管道',
    stage: '阶段',
    follow_up: '跟进',
    competitor: '竞争对手',
    picklist_value: '选项',
    custom_field: '自定义字段',
    token: '令牌',
    collection: '回款',
    import_mapping: '导入映射',
    import: '导入',
    target: '目标',
    name: '名称',
    code: '编号',
    email: '邮箱',
    key: '键',
    won: '赢单',
    lost: '输单',
    postponed: '延期',
    skip: '跳过阶段',
    move_back: '回退阶段',
    enter_later_stage: '从后续阶段开始',
    override_priority: '手动调整优先级',
    close_won_instead: '请改用「赢单」关闭',
    close_lost_instead: '请改用「输单」关闭',
    close_instead: '新机会须从进行中的阶段开始',
    same_stage: '已处于该阶段',
  },
};

const catalogues: Record<Locale, Catalogue> = { en, 'zh-CN': zh };
const TRANSLATED_PARAMS = new Set(['entity', 'field', 'status', 'action', 'why']);

/** Names of opportunity fields (stage-gate fields) as people say them. */
const FIELD_LABELS: Record<Locale, Record<string, string>> = {
  en: {
    needsDescription: 'needs description',
    budgetRange: 'budget range',
    expectedAmount: 'expected amount',
    expectedCloseDate: 'expected close date',
    source: 'lead source',
    industry: 'industry',
    region: 'region',
    productLine: 'product line',
    partner: 'partner',
    channelManager: 'channel manager',
    marketNotes: 'market notes',
    contacts: 'contacts',
    competitors: 'competitors',
  },
  'zh-CN': {
    needsDescription: '需求描述',
    budgetRange: '预算范围',
    expectedAmount: '预计成交金额',
    expectedCloseDate: '预计成交日期',
    source: '线索来源',
    industry: '行业',
    region: '区域',
    productLine: '产品线',
    partner: '合作伙伴',
    channelManager: '渠道经理',
    marketNotes: '市场分析备注',
    contacts: '联系人',
    competitors: '竞争对手',
  },
};

/** A list of field names ("expectedAmount, custom.decision_chain") in the requester's words. */
function fieldList(locale: Locale, value: string): string {
  return value
    .split(',')
    .map((f) => f.trim())
    .map(
      (f) => FIELD_LABELS[locale][f] ?? (f.startsWith('custom.') ? f.slice('custom.'.length) : f),
    )
    .join(locale === 'zh-CN' ? '、' : ', ');
}

/** Translates a message key with {param} placeholders; entity-like params are translated too. */
export function translate(locale: Locale, key: string, params: Params = {}): string {
  const template = catalogues[locale][key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    const text = String(value);
    if (name === 'fields') return fieldList(locale, text);
    if (!TRANSLATED_PARAMS.has(name)) return text;
    return entityNames[locale][text] ?? text.replace(/_/g, ' ');
  });
}
