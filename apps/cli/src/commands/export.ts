/** `funnel export`: a list view to .xlsx or CSV, with the list's filters and the user's rights. */
import { Argument, Option, type Command } from 'commander';
import { EXPORT_LISTS, OpportunityListQuery, type ExportList } from '@funnel/contracts';
import { createServices, type Db } from '@funnel/server';
import { CliError, withDatabase, type GlobalOptions } from '../context';
import { openOutput } from '../output';
import { resolveWorkspace } from '../workspace';
import { commandActor } from './import';
import { idsByName } from './lookup';

interface ExportOptions {
  format: 'xlsx' | 'csv';
  out?: string;
  lang?: 'en' | 'zh-CN';
  workspace?: string;
  as?: string;
  status?: string;
  stage?: string;
  owner?: string;
  team?: string;
  pipeline?: string;
  source?: string;
  region?: string;
  industry?: string;
  productLine?: string;
  priority?: string;
  q?: string;
  createdFrom?: string;
  createdTo?: string;
  expectedCloseFrom?: string;
  expectedCloseTo?: string;
}

const ids = (
  db: Db,
  workspaceId: string,
  kind: 'owner' | 'team' | 'pipeline' | 'stage',
  names: string,
) => idsByName(db, workspaceId, kind, names);

export function registerExportCommand(program: Command, global: () => GlobalOptions) {
  program
    .command('export')
    .description(
      'export a list (opportunities, accounts, contacts, follow-ups) to .xlsx or CSV; for an analytics report use `funnel analytics <report> --format xlsx|csv --out <file>`',
    )
    .addArgument(new Argument('<list>', 'what to export').choices([...EXPORT_LISTS]))
    .addOption(
      new Option('--format <format>', 'file format').choices(['xlsx', 'csv']).default('xlsx'),
    )
    .option('--out <file>', 'output file (default: standard output)')
    .addOption(
      new Option('--lang <lang>', 'header language (default: the workspace language)').choices([
        'en',
        'zh-CN',
      ]),
    )
    .option('--workspace <name>', 'workspace name or id when there are several')
    .option('--as <email>', 'export as this user: their access rules and contact masking')
    .option('--status <list>', 'open,won,lost,postponed')
    .option('--stage <names>', 'stage names')
    .option('--owner <emails>', 'owner e-mails')
    .option('--team <name>', 'team (with sub-teams)')
    .option('--pipeline <name>', 'pipeline name')
    .option('--source <codes>', 'sources')
    .option('--region <codes>', 'regions')
    .option('--industry <codes>', 'industries')
    .option('--product-line <codes>', 'product lines')
    .option('--priority <list>', 'A,B,C')
    .option('-q, --q <text>', 'search text')
    .option('--created-from <date>', 'YYYY-MM-DD')
    .option('--created-to <date>', 'YYYY-MM-DD')
    .option('--expected-close-from <date>', 'YYYY-MM-DD')
    .option('--expected-close-to <date>', 'YYYY-MM-DD')
    .action(async (list: ExportList, options: ExportOptions) => {
      await withDatabase(global(), async (database) => {
        const db = database.db;
        const workspace = await resolveWorkspace(db, options.workspace);
        const actor = await commandActor(db, workspace.id, options.as);
        const exports = createServices({ db }).dataTransfer.exports;
        const locale = options.lang ?? (workspace.locale === 'zh-CN' ? 'zh-CN' : 'en');
        let table;
        let audit: Record<string, unknown> = {};
        if (list === 'opportunities') {
          const parsed = OpportunityListQuery.safeParse({
            status: options.status,
            source: options.source,
            region: options.region,
            industry: options.industry,
            productLine: options.productLine,
            priority: options.priority,
            q: options.q,
            createdFrom: options.createdFrom,
            createdTo: options.createdTo,
            expectedCloseFrom: options.expectedCloseFrom,
            expectedCloseTo: options.expectedCloseTo,
          });
          if (!parsed.success)
            throw new CliError(
              parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'),
            );
          const {
            page: _p,
            pageSize: _s,
            sort: _o,
            createdFrom,
            createdTo,
            ...filter
          } = parsed.data;
          table = await exports.opportunities(actor, {
            ...filter,
            createdFrom: createdFrom ? new Date(createdFrom) : undefined,
            createdTo: createdTo ? new Date(createdTo) : undefined,
            ownerId: options.owner
              ? await ids(db, workspace.id, 'owner', options.owner)
              : undefined,
            stageId: options.stage
              ? await ids(db, workspace.id, 'stage', options.stage)
              : undefined,
            teamId: options.team
              ? (await ids(db, workspace.id, 'team', options.team))[0]
              : undefined,
            pipelineId: options.pipeline
              ? (await ids(db, workspace.id, 'pipeline', options.pipeline))[0]
              : undefined,
          });
          audit = { filter: parsed.data };
        } else if (list === 'accounts') {
          table = await exports.accounts(actor, {
            q: options.q,
            industry: options.industry,
            region: options.region,
          });
        } else if (list === 'contacts') {
          const counter = { unmasked: 0 };
          audit = counter;
          table = await exports.contacts(actor, { q: options.q }, counter);
        } else {
          table = await exports.followUps(actor, {
            status: options.status,
            ownerId: options.owner
              ? (await ids(db, workspace.id, 'owner', options.owner))[0]
              : undefined,
          });
        }
        const { out, closed } = openOutput(options.out);
        const rows = await exports.write(
          actor,
          table,
          out,
          { format: options.format, locale },
          audit,
        );
        if (closed) {
          await closed;
          console.error(`Exported ${rows} rows to ${options.out}.`);
        }
      });
    });
}
