/**
 * `funnel`: serve the app, migrate, seed the demo, manage users and API tokens, recompute
 * priorities. Every command honours --data-dir / FUNNEL_DATA_DIR and --database-url / DATABASE_URL.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ROLES, type Role } from '@funnel/domain';
import {
  DEMO_PASSWORD,
  DEMO_SIZES,
  DomainError,
  createServices,
  failureMessage,
  errorBody,
  seedDemo,
  startServer,
  systemActor,
  type DemoSize,
} from '@funnel/server';
import { CliError, databaseOptions, loadEnv, withDatabase, type GlobalOptions } from './context';
import { resolveWorkspace, findMemberByEmailOrFail } from './workspace';
import { analyticsCommand } from './commands/analytics';
import { registerImportCommand } from './commands/import';
import { registerExportCommand } from './commands/export';

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

function parseIntOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number >= 0');
  return n;
}

function printTable(rows: Record<string, string | number | boolean | null>[]): void {
  if (rows.length === 0) {
    console.log('(none)');
    return;
  }
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) =>
    Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)),
  );
  console.log(columns.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  for (const row of rows)
    console.log(columns.map((c, i) => String(row[c] ?? '').padEnd(widths[i]!)).join('  '));
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('funnel')
    .description('Funnel: sales opportunity tracking and funnel-conversion analysis')
    .option('--data-dir <dir>', 'embedded database directory (env FUNNEL_DATA_DIR, default ./data)')
    .option(
      '--database-url <url>',
      'PostgreSQL server instead of the embedded database (env DATABASE_URL)',
    )
    .showHelpAfterError()
    .exitOverride();

  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  program
    .command('serve')
    .description('serve the API (and the web app when built) on http://localhost:3000')
    .option('-p, --port <port>', 'port (env PORT, default 3000)', parseIntOption)
    .option('--host <host>', 'interface to bind (env HOST, default 0.0.0.0)')
    .option('--demo', 'create the demo workspace when the database is empty')
    .action(async (options: { port?: number; host?: string; demo?: boolean }) => {
      const env = loadEnv();
      const server = await startServer({
        env,
        ...databaseOptions(global(), env),
        port: options.port,
        host: options.host,
        demoOnFirstRun: options.demo ?? false,
        webDist:
          env.WEB_DIST ?? (existsSync(path.join(WEB_DIST, 'index.html')) ? WEB_DIST : undefined),
      });
      console.log(`Funnel is running at ${server.url}`);
      console.log(`  API docs: ${server.url}/api/docs`);
      console.log(`  database: ${server.database.kind} (${server.database.location})`);
      if (server.database.kind === 'pglite') {
        console.log(
          '  note: the embedded database is for one server and trial use; teams should set DATABASE_URL to PostgreSQL.',
        );
      }
      if (server.demo) {
        console.log(`  demo sign-ins (password "${DEMO_PASSWORD}"):`);
        for (const [email, role] of <[string, string][]>[
          ['admin@funnel.demo', 'admin'],
          ['director@funnel.demo', 'director'],
          ['manager.east@funnel.demo', 'manager'],
          ['rep.wang@funnel.demo', 'rep'],
        ]) {
          console.log(`    ${role.padEnd(9)} ${email}`);
        }
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      console.log('Stopping…');
      await server.close();
    });

  program
    .command('migrate')
    .description('create or upgrade the database schema')
    .action(async () => {
      await withDatabase(global(), async (database) => {
        console.log(`Database is up to date (${database.kind}: ${database.location}).`);
      });
    });

  program
    .command('demo')
    .description('(re)create the demo workspace with generated data')
    .addOption(
      new Option('--size <size>', 'how many opportunities')
        .choices(Object.keys(DEMO_SIZES))
        .default('demo'),
    )
    .option(
      '--seed <n>',
      'random seed (same seed and --as-of, same data)',
      parseIntOption,
      20240501,
    )
    .option('--as-of <date>', 'the day the data ends (default: now)', (value: string) => {
      const at = new Date(value);
      if (Number.isNaN(at.getTime()))
        throw new InvalidArgumentError('must be a date, e.g. 2026-11-01');
      return at;
    })
    .action(async (options: { size: DemoSize; seed: number; asOf?: Date }) => {
      await withDatabase(global(), async (database) => {
        const started = Date.now();
        const result = await seedDemo(database.db, {
          size: options.size,
          seed: options.seed,
          now: options.asOf,
          onProgress: (done, total) => {
            if (process.stderr.isTTY) process.stderr.write(`\r  ${done}/${total} opportunities`);
          },
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        console.log(
          `Demo workspace ready: ${result.opportunities} opportunities in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
        );
        printTable(
          result.users.map((u) => ({ email: u.email, role: u.role, password: u.password })),
        );
      });
    });

  const user = program.command('user').description('manage users');
  user
    .command('add')
    .description('add a user to the workspace')
    .requiredOption('--email <email>', 'e-mail (the sign-in name)')
    .option(
      '--password <password>',
      'password (8+ characters); omit for someone who cannot sign in',
    )
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
    .option('--team <team>', 'team name')
    .option('--name <name>', 'display name (default: the part of the e-mail before @)')
    .option('--workspace <name>', 'workspace name or id when there are several')
    .action(
      async (options: {
        email: string;
        password?: string;
        role: Role;
        team?: string;
        name?: string;
        workspace?: string;
      }) => {
        await withDatabase(global(), async (database) => {
          const workspace = await resolveWorkspace(database.db, options.workspace);
          const services = createServices({ db: database.db });
          const teams = await services.people.listTeams(systemActor(workspace.id));
          let teamId: string | null = null;
          if (options.team) {
            const team = teams.find((t) => t.name === options.team || t.id === options.team);
            if (!team)
              throw new CliError(
                `No team "${options.team}". Teams: ${teams.map((t) => t.name).join(', ') || '(none)'}`,
              );
            teamId = team.id;
          }
          const member = await services.people.createMember(null, workspace.id, {
            email: options.email.trim().toLowerCase(),
            name: options.name ?? options.email.split('@')[0]!,
            password: options.password,
            role: options.role,
            teamId,
          });
          console.log(
            `Added ${member.email} as ${member.role}${member.teamName ? ` in ${member.teamName}` : ''} to "${workspace.name}".`,
          );
        });
      },
    );
  user
    .command('list')
    .description('list the users of the workspace')
    .option('--workspace <name>', 'workspace name or id when there are several')
    .option('--json', 'print JSON')
    .action(async (options: { workspace?: string; json?: boolean }) => {
      await withDatabase(global(), async (database) => {
        const workspace = await resolveWorkspace(database.db, options.workspace);
        const services = createServices({ db: database.db });
        const { items } = await services.people.listMembers(systemActor(workspace.id), {}, 1, 500);
        if (options.json) console.log(JSON.stringify(items, null, 2));
        else
          printTable(
            items.map((m) => ({
              email: m.email,
              name: m.name,
              role: m.role,
              team: m.teamName ?? '',
              active: m.active,
              canSignIn: m.canSignIn,
            })),
          );
      });
    });
  user
    .command('passwd')
    .description("set a user's password")
    .requiredOption('--email <email>', 'the user')
    .requiredOption('--password <password>', 'the new password (8+ characters)')
    .option('--workspace <name>', 'workspace name or id when there are several')
    .action(async (options: { email: string; password: string; workspace?: string }) => {
      await withDatabase(global(), async (database) => {
        const workspace = await resolveWorkspace(database.db, options.workspace);
        const member = await findMemberByEmailOrFail(database.db, workspace.id, options.email);
        await createServices({ db: database.db }).people.updateMember(
          null,
          workspace.id,
          member.id,
          { password: options.password },
        );
        console.log(`Password of ${member.email} changed; their sessions were signed out.`);
      });
    });

  program
    .command('token')
    .description('API tokens for scripts')
    .command('create')
    .description(
      'create an API token for a user (printed once; send as "Authorization: Bearer <token>")',
    )
    .requiredOption('--user <email>', 'the user the token acts as')
    .option('--name <name>', 'a label for the token', 'cli')
    .option('--workspace <name>', 'workspace name or id when there are several')
    .action(async (options: { user: string; name: string; workspace?: string }) => {
      await withDatabase(global(), async (database) => {
        const workspace = await resolveWorkspace(database.db, options.workspace);
        const member = await findMemberByEmailOrFail(database.db, workspace.id, options.user);
        const services = createServices({ db: database.db });
        const actor = await services.auth.actorFor(workspace.id, member.id, 'system', null);
        if (!actor) throw new CliError(`${options.user} is not active.`);
        const token = await services.auth.createToken(actor, options.name);
        console.log(token.token);
      });
    });

  program
    .command('priority')
    .description('priority jobs')
    .command('recompute')
    .description(
      'recompute every open opportunity priority under the current rules (the weekly job)',
    )
    .option('--workspace <name>', 'workspace name or id when there are several')
    .action(async (options: { workspace?: string }) => {
      await withDatabase(global(), async (database) => {
        const workspace = await resolveWorkspace(database.db, options.workspace);
        const result = await createServices({
          db: database.db,
        }).opportunities.recomputeAllPriorities(workspace.id);
        console.log(
          `Checked ${result.checked} open opportunities; ${result.changed} changed priority.`,
        );
      });
    });

  program.addCommand(analyticsCommand(global));

  registerImportCommand(program, global);
  registerExportCommand(program, global);
  return program;
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      console.error(`funnel: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof DomainError) {
      const body = errorBody(error, 'en');
      const fields = body.error.fields?.map((f) => `\n  ${f.path}: ${f.message}`).join('') ?? '';
      console.error(`funnel: ${body.error.message}${fields}`);
      return 1;
    }
    console.error(`funnel: ${failureMessage(error)}`);
    return 1;
  }
}
