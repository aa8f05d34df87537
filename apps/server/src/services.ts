/** Builds every service with exactly the dependencies it needs. */
import type { Db } from './db/database';
import { AnalyticsService } from './features/analytics/analytics.service';
import { TargetService } from './features/analytics/targets.service';
import { AuditService } from './features/audit/audit.service';
import { AccountService } from './features/accounts/accounts.service';
import { AuthService } from './features/auth/auth.service';
import { FollowUpService } from './features/follow-ups/follow-ups.service';
import { CollectionService } from './features/opportunities/collections.service';
import { OpportunityService } from './features/opportunities/opportunities.service';
import { PeopleService } from './features/people/people.service';
import { PipelineService } from './features/pipelines/pipelines.service';
import { SettingsService } from './features/settings/settings.service';
import { WorkspaceService } from './features/workspace/workspace.service';
import { createDataTransfer } from './features/import/data-transfer';

export interface ServiceOptions {
  db: Db;
  clock?: () => Date;
  sessionTtlHours?: number;
}

export function createServices({
  db,
  clock = () => new Date(),
  sessionTtlHours = 24 * 7,
}: ServiceOptions) {
  return {
    auth: new AuthService({ db, clock, sessionTtlHours }),
    workspace: new WorkspaceService({ db }),
    people: new PeopleService({ db }),
    pipelines: new PipelineService({ db }),
    settings: new SettingsService({ db }),
    accounts: new AccountService({ db }),
    opportunities: new OpportunityService({ db, clock }),
    collections: new CollectionService({ db }),
    followUps: new FollowUpService({ db, clock }),
    audit: new AuditService({ db }),
    analytics: new AnalyticsService({ db, clock }),
    targets: new TargetService({ db }),
    dataTransfer: createDataTransfer({ db, clock }),
  };
}

export type Services = ReturnType<typeof createServices>;
