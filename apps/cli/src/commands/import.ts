/** `funnel import`: dry run first, then (unless --dry-run) the all-or-nothing commit. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ImportMapping, type ImportCounts, type ImportProblem } from '@funnel/contracts';
import { createServices, systemActor, type Actor, type Db } from '@funnel/server';
import { CliError, withDatabase, type GlobalOptions } from '../context';
import { findMemberByEmailOrFail, resolveWorkspace } from '../workspace';
import { progressBar } from './progress';

interface ImportOptions {
  mapping?: string;
  dryRun?: boolean;
  problems?: string;
  createMissingOwners?: boolean;
  skipInvalid?: boolean;
  workspace?: string;
  pipeline?: string;
  as?: string;
  lang?: 'en' | 'zh-CN';
  json?: boolean;
}

/** The actor a command acts as: the operator (an admin) or, with --as, that user with their rights. */
export async function commandActor(db: Db, workspaceId: string, email?: string): Promise<Actor> {
  if (!email) return systemActor(workspaceId);
  const member = await findMemberByEmailOrFail(db, workspaceId, email);
  const actor = await createServices({ db }).auth.actorFor(workspaceId, member.id, 'system', null);
  if (!actor) throw new CliError(`${email} is not active.`);
  return actor;
}

function loadMapping(file: string | undefined): ImportMapping {
  if (!file) return {};
  if (!existsSync(file)) throw new CliError(`No mapping file ${file}.`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`The mapping ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = ImportMapping.safeParse(json);
  if (!parsed.success)
    throw new CliError(
      `The mapping ${file} is not valid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`,
    );
  return parsed.data;
}

function printCounts(counts: ImportCounts, heading: string) {
  console.log(heading);
  const lines: [string, number][] = [
    ['rows read', counts.rows],
    ['rows with errors', counts.errorRows],
    ['warnings', counts.warnings],
    ['opportunities (new)', counts.opportunities],
    ['opportunities already present', counts.existingOpportunities],
    ['accounts (new)', counts.accounts],
    ['contacts (new)', counts.contacts],
    ['follow-ups (new)', counts.followUps],
    ['stage changes', counts.stageChanges],
    ['owners created', counts.owners],
    ['teams created', counts.teams],
  ];
  for (const [label, value] of lines) console.log(`  ${label.padEnd(32)} ${value}`);
}

function printProblems(problems: ImportProblem[], total: number) {
  for (const p of problems.slice(0, 20))
    console.error(
      `  ${p.severity === 'error' ? 'ERROR' : 'warn '} ${p.file}:${p.row} [${p.column}] ${p.message}${p.value ? ` (${p.value})` : ''}`,
    );
  if (total > 20) console.error(`  … ${total - 20} more (write them all with --problems out.csv)`);
}

export function registerImportCommand(program: Command, global: () => GlobalOptions) {
  program
    .command('import')
    .description(
      'import opportunities, accounts, contacts, follow-ups and stage histories from .xlsx / CSV files',
    )
    .argument('<files...>', 'the files (several related files are joined by the mapping)')
    .option('--mapping <file>', 'mapping JSON (columns, value maps, date formats, units, defaults)')
    .option('--dry-run', 'check every row and report problems; write nothing')
    .option('--problems <file>', 'write every problem (row, column, reason) to this CSV file')
    .option(
      '--create-missing-owners',
      'create unknown owners and teams as people who cannot sign in',
    )
    .option('--skip-invalid', 'commit the valid rows and leave out the rows with errors')
    .option('--pipeline <name>', 'pipeline to import into (default: the default pipeline)')
    .option('--workspace <name>', 'workspace name or id when there are several')
    .option(
      '--as <email>',
      'act as this user, with their access rules (default: the operator, as admin)',
    )
    .option('--lang <lang>', 'language of the problem messages (en or zh-CN)', 'en')
    .option('--json', 'print the result as JSON')
    .action(async (files: string[], options: ImportOptions) => {
      for (const file of files) if (!existsSync(file)) throw new CliError(`No file ${file}.`);
      const mapping = loadMapping(options.mapping);
      if (options.pipeline) mapping.pipeline = options.pipeline;
      if (options.createMissingOwners) mapping.createMissingOwners = true;
      if (options.skipInvalid) mapping.skipInvalidRows = true;
      await withDatabase(global(), async (database) => {
        const workspace = await resolveWorkspace(database.db, options.workspace);
        const actor = await commandActor(database.db, workspace.id, options.as);
        const imports = createServices({ db: database.db }).dataTransfer.imports;
        const importFiles = files.map((f) => ({ name: path.basename(f), path: path.resolve(f) }));
        const checkBar = progressBar('checking ');
        const check = await imports.dryRun(actor, importFiles, mapping, {
          locale: options.lang === 'zh-CN' ? 'zh-CN' : 'en',
          problemsPath: options.problems ?? null,
          onProgress: (p) => checkBar.update(p),
        });
        checkBar.done();
        if (!options.json) {
          printCounts(check.counts, options.dryRun ? 'Dry run (nothing written):' : 'Checked:');
          printProblems(check.problems, check.errors + check.warnings);
          if (options.problems) console.log(`Problems written to ${options.problems}.`);
        }
        if (!check.canCommit) {
          if (options.json) console.log(JSON.stringify({ committed: false, check }, null, 2));
          throw new CliError(
            `${check.errors} ${check.errors === 1 ? 'error' : 'errors'}: nothing was imported. Fix the file or the mapping (or use --skip-invalid).`,
          );
        }
        if (options.dryRun) {
          if (options.json) console.log(JSON.stringify({ committed: false, check }, null, 2));
          return;
        }
        const commitBar = progressBar('importing');
        const started = Date.now();
        const counts = await imports.commit(actor, importFiles, mapping, {
          carry: check.carry,
          onProgress: (p) => commitBar.update(p),
        });
        commitBar.done();
        if (options.json) console.log(JSON.stringify({ committed: true, counts, check }, null, 2));
        else {
          printCounts(counts, `Imported in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
        }
      });
    });
}
