/**
 * Import and export (SPEC F-9): the mapping file that tells the importer how to read someone
 * else's spreadsheet, the import job as the API reports it, the problems of a dry run with their
 * messages in both languages, and the export queries.
 */
import { z } from 'zod';
import { IMPORT_FIELDS } from './import-fields';

export const IMPORT_ENTITIES = [
  'opportunities',
  'accounts',
  'contacts',
  'follow_ups',
  'stage_history',
  'owners',
  'lookup',
] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

export const AMOUNT_UNITS = ['yuan', 'wan', 'fen'] as const;
export type AmountUnit = (typeof AMOUNT_UNITS)[number];

/** Where a column goes: a field name, or a field with its own value map, date format, unit or lookup. */
export const ColumnTarget = z.union([
  z.string().min(1).max(80),
  z
    .object({
      field: z.string().min(1).max(80),
      values: z.record(z.string(), z.string().nullable()).optional(),
      dateFormat: z.string().max(40).optional(),
      unit: z.enum(AMOUNT_UNITS).optional(),
      /** Replace the cell by a column of a lookup file: `{name: "products", column: "sales_price"}`. */
      lookup: z.object({ name: z.string(), column: z.string() }).strict().optional(),
    })
    .strict(),
]);
export type ColumnTarget = z.infer<typeof ColumnTarget>;

export const FileMapping = z
  .object({
    /** File name (base name, `*` wildcards allowed) this entry applies to. */
    file: z.string().min(1).max(300),
    /** Sheet of a workbook (default: the first). */
    sheet: z.string().max(100).optional(),
    entity: z.enum(IMPORT_ENTITIES),
    /** For `lookup` files: the name other files use and the key column. */
    name: z.string().max(60).optional(),
    key: z.string().max(200).optional(),
    /** A second opportunities file whose rows add fields to the main file's rows with the same code. */
    mergeInto: z.boolean().optional(),
    encoding: z.enum(['auto', 'utf-8', 'gbk', 'gb18030']).optional(),
    delimiter: z.enum(['auto', ',', '\t', ';']).optional(),
    /** Match the remaining headers by the built-in Chinese and English names (default true). */
    autoHeaders: z.boolean().optional(),
    /** header -> field; null ignores the column. */
    columns: z
      .record(z.string(), z.union([ColumnTarget, z.array(ColumnTarget), z.null()]))
      .optional(),
    /** field -> (their value -> ours); a null target empties the value. */
    values: z.record(z.string(), z.record(z.string(), z.string().nullable())).optional(),
    /** e.g. DD-MM-YYYY, M/D/YYYY, DD/MM/YYYY HH:mm (default: ISO, then Excel dates). */
    dateFormat: z.string().max(40).optional(),
    amountUnit: z.enum(AMOUNT_UNITS).optional(),
    /** field -> value used when the cell is empty. */
    defaults: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();
export type FileMapping = z.infer<typeof FileMapping>;

export const ImportMapping = z
  .object({
    version: z.literal(1).optional(),
    /** Pipeline name or id (default: the workspace's default pipeline). */
    pipeline: z.string().max(200).optional(),
    /** Create unknown owners and teams as people who cannot sign in (historic reps). */
    createMissingOwners: z.boolean().optional(),
    /** Add unknown source / industry / region / product line / loss reason values to the lists. */
    addMissingValues: z.boolean().optional(),
    /** Leave rows with errors out of the commit instead of refusing it. */
    skipInvalidRows: z.boolean().optional(),
    /** Time zone of dates without one (default: the workspace's). */
    timeZone: z.string().max(60).optional(),
    dateFormat: z.string().max(40).optional(),
    amountUnit: z.enum(AMOUNT_UNITS).optional(),
    /** How a stage that contradicts the status flags is settled (default: the stage wins). */
    conflicts: z.enum(['stage', 'status']).optional(),
    files: z.array(FileMapping).max(20).optional(),
  })
  .strict()
  .meta({ id: 'ImportMapping' });
export type ImportMapping = z.infer<typeof ImportMapping>;

export const PROBLEM_CODES = [
  'missing_required',
  'bad_date',
  'bad_amount',
  'negative_amount',
  'bad_number',
  'duplicate_code',
  'duplicate_row',
  'unknown_stage',
  'unknown_status',
  'status_conflict',
  'unknown_owner',
  'owner_out_of_scope',
  'ambiguous_owner',
  'unknown_value',
  'source_other',
  'unknown_opportunity',
  'unknown_account',
  'unknown_lookup',
  'history_before_creation',
  'history_reconciled',
  'masked_value',
  'default_used',
  'loss_reason_on_open',
  'unmapped_column',
  'bad_file',
  'too_long',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export const ImportProblem = z
  .object({
    file: z.string(),
    /** 1-based row number as a spreadsheet shows it (the header is row 1); 0 for the whole file. */
    row: z.number().int(),
    column: z.string(),
    severity: z.enum(['error', 'warning']),
    code: z.enum(PROBLEM_CODES),
    message: z.string(),
    value: z.string(),
  })
  .meta({ id: 'ImportProblem' });
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportCounts = z.object({
  rows: z.number().int(),
  errorRows: z.number().int(),
  warnings: z.number().int(),
  opportunities: z.number().int(),
  existingOpportunities: z.number().int(),
  accounts: z.number().int(),
  existingAccounts: z.number().int(),
  contacts: z.number().int(),
  followUps: z.number().int(),
  stageChanges: z.number().int(),
  owners: z.number().int(),
  teams: z.number().int(),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

export const IMPORT_STATUSES = [
  'uploading',
  'checking',
  'checked',
  'committing',
  'committed',
  'failed',
] as const;

export const ImportJob = z
  .object({
    id: z.string(),
    status: z.enum(IMPORT_STATUSES),
    files: z.array(
      z.object({
        name: z.string(),
        entity: z.string().nullable(),
        size: z.number(),
        /** After the dry run: each column, the fields it fills (none = ignored) and up to 20 of its values. */
        columns: z.array(
          z.object({
            header: z.string(),
            fields: z.array(z.string()),
            samples: z.array(z.string()),
          }),
        ),
      }),
    ),
    /** Files announced but not uploaded yet. */
    awaiting: z.array(z.string()),
    progress: z.object({
      phase: z.string(),
      rows: z.number().int(),
      totalBytes: z.number(),
      doneBytes: z.number(),
      rowsPerSecond: z.number(),
    }),
    counts: ImportCounts.nullable(),
    /** The first 200 problems; download all from /imports/{id}/problems. */
    problems: z.array(ImportProblem),
    problemCount: z.number().int(),
    canCommit: z.boolean(),
    /** Why a failed job failed: an error code with the fields, or the database's own reason. */
    error: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ImportJob' });
export type ImportJob = z.infer<typeof ImportJob>;

export const CreateImportBody = z
  .object({
    files: z.array(z.string().min(1).max(300)).min(1).max(20),
    mapping: ImportMapping.optional(),
    pipeline: z.string().max(200).optional(),
    createMissingOwners: z.boolean().optional(),
    skipInvalidRows: z.boolean().optional(),
  })
  .strict();

/**
 * Checks the uploaded files of a job again, with a new mapping and options (the mapping screen's
 * "check again"): the files stay on the server, nothing is uploaded twice.
 */
export const RecheckImportBody = z
  .object({
    mapping: ImportMapping.optional(),
    pipeline: z.string().max(200).optional(),
    createMissingOwners: z.boolean().optional(),
    skipInvalidRows: z.boolean().optional(),
  })
  .strict();

export const RawImportQuery = z.object({
  fileName: z.string().min(1).max(300).default('import.csv'),
  pipeline: z.string().max(200).optional(),
  createMissingOwners: z.stringbool().optional(),
  skipInvalidRows: z.stringbool().optional(),
});

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export const ExportFormatQuery = z.object({
  format: z.enum(EXPORT_FORMATS).default('xlsx'),
  lang: z.enum(['en', 'zh-CN']).optional(),
});

export const EXPORT_LISTS = ['opportunities', 'accounts', 'contacts', 'follow-ups'] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];

type Catalogue = Record<ProblemCode, string>;

const problemEn: Catalogue = {
  missing_required: 'Required value missing ({field}).',
  bad_date: 'Not a date in the expected format ({format}).',
  bad_amount: 'Not an amount (at most two decimals in 元).',
  negative_amount: 'Amounts must not be negative.',
  bad_number: 'Not a number.',
  duplicate_code: 'The code appears more than once in the file (first on row {other}).',
  duplicate_row: 'Same record as row {other}.',
  unknown_stage: 'No stage "{value}" in pipeline "{pipeline}"; add it to the stage value map.',
  unknown_status: 'Unknown status "{value}" (open, won, lost, postponed).',
  status_conflict: 'The status flags say {status} but the stage says {stage}; kept {kept}.',
  unknown_owner:
    'No user "{value}" in this workspace (use --create-missing-owners for historic reps).',
  owner_out_of_scope: 'You may not give records to "{value}" (outside your teams).',
  ambiguous_owner: 'Several users are called "{value}"; use the e-mail.',
  unknown_value: 'Not one of this workspace\'s {field} values: "{value}".',
  source_other: 'Unknown source "{value}": imported as "other" with this detail.',
  unknown_opportunity: 'No opportunity with code "{value}" in the import or the workspace.',
  unknown_account: 'No account "{value}".',
  unknown_lookup: 'No row "{value}" in lookup file "{lookup}".',
  history_before_creation:
    'Stage history dated before the opportunity was acquired; moved to {date}.',
  history_reconciled:
    'The current stage differs from the last history row; a move to it was added at {date}.',
  masked_value: 'The value is masked ("{value}"); left empty.',
  default_used: 'Empty; "{value}" was used instead.',
  loss_reason_on_open: 'A loss reason on an open opportunity; kept in the market notes.',
  unmapped_column: 'Column not imported (no field matches "{value}").',
  bad_file: 'The file cannot be read: {value}.',
  too_long: 'Too long (at most {max} characters).',
};

const problemZh: Catalogue = {
  missing_required: '缺少必填值({field})。',
  bad_date: '日期格式不符({format})。',
  bad_amount: '不是合法金额(元,最多两位小数)。',
  negative_amount: '金额不能为负。',
  bad_number: '不是数字。',
  duplicate_code: '编号在文件中重复(首次出现在第 {other} 行)。',
  duplicate_row: '与第 {other} 行是同一条记录。',
  unknown_stage: '管道「{pipeline}」中没有阶段「{value}」,请在阶段值映射中补充。',
  unknown_status: '未知状态「{value}」(open、won、lost、postponed)。',
  status_conflict: '状态标志为 {status},阶段为 {stage};保留 {kept}。',
  unknown_owner: '本工作区没有用户「{value}」(历史销售可用 --create-missing-owners 创建)。',
  owner_out_of_scope: '您无权把记录分配给「{value}」(不在您的团队内)。',
  ambiguous_owner: '有多个名为「{value}」的用户,请使用邮箱。',
  unknown_value: '不是本工作区的{field}可选值:「{value}」。',
  source_other: '未知来源「{value}」:按「其他」导入并注明该渠道。',
  unknown_opportunity: '导入文件和工作区中都没有编号为「{value}」的机会。',
  unknown_account: '没有客户「{value}」。',
  unknown_lookup: '对照文件「{lookup}」中没有「{value}」。',
  history_before_creation: '阶段历史早于机会获取时间,已调整为 {date}。',
  history_reconciled: '当前阶段与历史最后一行不一致,已在 {date} 补记一次变更。',
  masked_value: '该值已脱敏(「{value}」),留空。',
  default_used: '为空,已改用「{value}」。',
  loss_reason_on_open: '进行中的机会填写了未成交原因,已记入市场分析备注。',
  unmapped_column: '未导入该列(没有字段与「{value}」对应)。',
  bad_file: '无法读取文件:{value}。',
  too_long: '过长(最多 {max} 个字符)。',
};

/** A field named in a message ("industry") in the reader's words ("行业"), else as it is. */
function fieldLabel(locale: 'en' | 'zh-CN', key: string): string {
  for (const fields of Object.values(IMPORT_FIELDS)) {
    const field = fields.find((f) => f.key === key);
    if (field) return locale === 'zh-CN' ? field.zh : field.en;
  }
  return key;
}

/** The message of a problem in the language asked for. */
export function problemMessage(
  locale: 'en' | 'zh-CN',
  code: ProblemCode,
  params: Record<string, string | number> = {},
): string {
  const template = (locale === 'zh-CN' ? problemZh : problemEn)[code];
  return template.replace(/\{(\w+)\}/g, (_m, key: string) =>
    key === 'field' && params.field !== undefined
      ? fieldLabel(locale, String(params.field))
      : String(params[key] ?? ''),
  );
}

export const SavedImportMapping = z
  .object({
    id: z.uuid(),
    name: z.string(),
    mapping: ImportMapping,
    version: z.number(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SavedImportMapping' });
export const CreateImportMappingBody = z
  .object({ name: z.string().trim().min(1).max(100), mapping: ImportMapping })
  .strict();
export const UpdateImportMappingBody = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(100).optional(),
    mapping: ImportMapping.optional(),
  })
  .strict();
