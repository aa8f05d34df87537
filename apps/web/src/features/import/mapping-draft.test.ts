import { describe, expect, it } from 'vitest';
import type { ImportJob, ImportMapping } from '../../api/types';
import { fileMatches } from '@funnel/contracts/import-fields';
import {
  setColumnFields,
  setEntity,
  setFileFormat,
  setValue,
  startingDraft,
  syncWithJob,
  toMapping,
  valuesToMap,
} from './mapping-draft';

function job(files: ImportJob['files'], problems: ImportJob['problems'] = []): ImportJob {
  return {
    id: 'j',
    status: 'checked',
    files,
    awaiting: [],
    progress: { phase: 'done', rows: 0, totalBytes: 0, doneBytes: 0, rowsPerSecond: 0 },
    counts: null,
    problems,
    problemCount: problems.length,
    canCommit: true,
    error: null,
    createdAt: '2024-05-01T00:00:00Z',
  };
}

const template = job([
  {
    name: 'leads.csv',
    entity: 'opportunities',
    size: 100,
    columns: [
      { header: '线索编号', fields: ['code'], samples: ['LX1'] },
      { header: '跟进阶段', fields: ['stage'], samples: ['意向明确', '洽谈中'] },
      { header: '成交金额(万)', fields: ['amount'], samples: ['32'] },
      { header: '备用', fields: [], samples: ['x'] },
    ],
  },
]);

const saved: ImportMapping = {
  amountUnit: 'wan',
  files: [
    {
      file: 'deals*.csv',
      entity: 'opportunities',
      sheet: 'Deals',
      columns: { 'Deal ID': 'code', Value: { field: 'amount', unit: 'yuan' } },
      values: { stage: { Won: '成交落地' } },
      dateFormat: 'DD/MM/YYYY',
    },
  ],
};

describe('the mapping draft', () => {
  it('matches file patterns like the server', () => {
    expect(fileMatches('deals*.csv', 'Deals-2024.CSV')).toBe(true);
    expect(fileMatches('deals*.csv', 'leads.csv')).toBe(false);
    expect(fileMatches('a.b', 'axb')).toBe(false);
  });

  it('without a saved mapping sends only the kinds chosen by hand', () => {
    const draft = startingDraft([{ name: 'a.csv' }, { name: 'b.csv', entity: 'accounts' }], null, {
      createMissingOwners: true,
    });
    expect(toMapping(draft)).toEqual({
      createMissingOwners: true,
      files: [{ file: 'b.csv', entity: 'accounts' }],
    });
  });

  it('fits a saved mapping to a file of another name, keeping its options and details', () => {
    const draft = startingDraft([{ name: 'export.csv' }], saved, { pipeline: 'P' });
    expect(toMapping(draft)).toEqual({
      amountUnit: 'wan',
      pipeline: 'P',
      files: [
        {
          file: 'export.csv',
          entity: 'opportunities',
          sheet: 'Deals',
          columns: { 'Deal ID': 'code', Value: { field: 'amount', unit: 'yuan' } },
          values: { stage: { Won: '成交落地' } },
          dateFormat: 'DD/MM/YYYY',
        },
      ],
    });
    // another kind chosen by hand: the saved columns and values do not apply
    const other = startingDraft([{ name: 'x.csv', entity: 'accounts' }], saved, {});
    expect(toMapping(other).files).toEqual([
      { file: 'x.csv', entity: 'accounts', sheet: 'Deals', dateFormat: 'DD/MM/YYYY' },
    ]);
  });

  it('after a check writes every column explicitly, ignored ones as null, and keeps details', () => {
    let draft = startingDraft([{ name: 'leads.csv' }], null, {});
    draft = syncWithJob(draft, template);
    expect(toMapping(draft).files![0]!.columns).toEqual({
      线索编号: 'code',
      跟进阶段: 'stage',
      '成交金额(万)': 'amount',
      备用: null,
    });
    const deals = job([
      {
        name: 'deals-1.csv',
        entity: 'opportunities',
        size: 1,
        columns: [
          { header: 'Deal ID', fields: ['code'], samples: [] },
          { header: 'value', fields: ['amount'], samples: [] },
        ],
      },
    ]);
    const fitted = syncWithJob(startingDraft([{ name: 'deals-1.csv' }], saved, {}), deals);
    expect(toMapping(fitted).files![0]!.columns).toEqual({
      'Deal ID': 'code',
      value: { field: 'amount', unit: 'yuan' },
    });
    // a second field for the column keeps the first one's details
    const both = setColumnFields(fitted, 'deals-1.csv', 'value', ['amount', 'expectedAmount']);
    expect(toMapping(both).files![0]!.columns!.value).toEqual([
      { field: 'amount', unit: 'yuan' },
      'expectedAmount',
    ]);
  });

  it('edits value maps, formats and kinds', () => {
    let draft = syncWithJob(startingDraft([{ name: 'leads.csv' }], null, {}), template);
    draft = setValue(draft, 'leads.csv', 'stage', '洽谈中', '商务谈判');
    draft = setFileFormat(draft, 'leads.csv', { dateFormat: 'YYYY/M/D', amountUnit: 'wan' });
    expect(toMapping(draft).files![0]).toMatchObject({
      values: { stage: { 洽谈中: '商务谈判' } },
      dateFormat: 'YYYY/M/D',
      amountUnit: 'wan',
    });
    draft = setValue(draft, 'leads.csv', 'stage', '洽谈中', undefined);
    draft = setFileFormat(draft, 'leads.csv', { dateFormat: undefined });
    expect(toMapping(draft).files![0]!.values).toBeUndefined();
    expect(toMapping(draft).files![0]!.dateFormat).toBeUndefined();
    draft = setEntity(draft, 'leads.csv', 'accounts');
    expect(toMapping(draft).files).toEqual([
      { file: 'leads.csv', entity: 'accounts', amountUnit: 'wan' },
    ]);
  });

  it('offers the samples, the values the check could not place and those already mapped', () => {
    const checked = job(template.files, [
      {
        file: 'leads.csv',
        row: 9,
        column: '跟进阶段',
        severity: 'error',
        code: 'unknown_stage',
        message: '',
        value: '搁置',
      },
    ]);
    let draft = syncWithJob(startingDraft([{ name: 'leads.csv' }], null, {}), checked);
    draft = setValue(draft, 'leads.csv', 'stage', '老名字', '需求确认');
    expect(valuesToMap(checked, draft.files[0]!, 'stage', checked.problems)).toEqual([
      '意向明确',
      '洽谈中',
      '搁置',
      '老名字',
    ]);
  });
});
