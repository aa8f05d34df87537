export { buildApp } from './app';
export { createServices, type Services } from './services';
export { openDatabase, type Database, type Db } from './db/database';
export { parseEnv, type Env } from './env';
export { startServer } from './server';
export {
  seedDemo,
  removeDemoWorkspace,
  findDemoWorkspace,
  DEMO_SIZES,
  DEMO_PASSWORD,
  type DemoSize,
} from './features/demo/seed';
export { DomainError } from './http/domain-error';
export { failureMessage } from './db/pg-errors';
export { errorBody } from './http/error-handler';
export type { Actor } from './features/access/actor';
export { systemActor } from './features/access/actor';
export { listWorkspaces } from './features/workspace/workspace.repository';
export { findMemberByEmailInWorkspace } from './features/people/people.repository';
export {
  ANALYTICS_REPORTS,
  REPORT_NAMES,
  runReport,
  type ReportName,
} from './features/analytics/reports';
export { reportTables, type ReportTable } from './features/export/report-tables';
export type { ColumnDef, ColumnType, RowValues } from './features/export/table-writer';
