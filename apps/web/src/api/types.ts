/** Shapes of the API, inferred from the shared contracts: never redefined by hand here. */
import type { z } from 'zod';
import type * as C from '@funnel/contracts';

export type Me = z.infer<typeof C.Me>;
export type Role = z.infer<typeof C.Role>;
export type Priority = z.infer<typeof C.Priority>;
export type OpportunitySummary = z.infer<typeof C.OpportunitySummary>;
export type Opportunity = z.infer<typeof C.Opportunity>;
export type OpportunityStatus = z.infer<typeof C.OpportunityStatus>;
export type CreateOpportunityBody = z.input<typeof C.CreateOpportunityBody>;
export type UpdateOpportunityBody = z.input<typeof C.UpdateOpportunityBody>;
export type MoveResult = z.infer<typeof C.MoveResult>;
export type StageSummary = z.infer<typeof C.StageSummary>;
export type StageChange = z.infer<typeof C.StageChange>;
export type PriorityChange = z.infer<typeof C.PriorityChange>;
export type FollowUp = z.infer<typeof C.FollowUp>;
export type FollowUpQueue = z.infer<typeof C.FollowUpQueue>;
export type LogFollowUpBody = z.input<typeof C.LogFollowUpBody>;
export type PlanFollowUpBody = z.input<typeof C.PlanFollowUpBody>;
export type Collection = z.infer<typeof C.Collection>;
export type AuditEntry = z.infer<typeof C.AuditEntry>;
export type Account = z.infer<typeof C.Account>;
export type AccountMatch = z.infer<typeof C.AccountMatch>;
export type CreateAccountBody = z.input<typeof C.CreateAccountBody>;
export type Contact = z.infer<typeof C.Contact>;
export type CreateContactBody = z.input<typeof C.CreateContactBody>;
export type Member = z.infer<typeof C.Member>;
export type Team = z.infer<typeof C.Team>;
export type Pipeline = z.infer<typeof C.Pipeline>;
export type Stage = z.infer<typeof C.Stage>;
export type StageInput = z.input<typeof C.StageInput>;
export type PipelinePreset = z.infer<typeof C.PipelinePresetOut>;
export type PicklistKind = z.infer<typeof C.PicklistKind>;
export type PicklistValue = z.infer<typeof C.PicklistValue>;
export type CustomField = z.infer<typeof C.CustomField>;
export type Competitor = z.infer<typeof C.Competitor>;
export type Workspace = z.infer<typeof C.Workspace>;
export type UpdateWorkspaceBody = z.input<typeof C.UpdateWorkspaceBody>;
export type ImportJob = z.infer<typeof C.ImportJob>;
export type ImportProblem = z.infer<typeof C.ImportProblem>;
export type ImportCounts = z.infer<typeof C.ImportCounts>;
export type ImportMapping = z.infer<typeof C.ImportMapping>;
export type FileMapping = z.infer<typeof C.FileMapping>;
export type ImportEntity = C.ImportEntity;
export type SavedImportMapping = z.infer<typeof C.SavedImportMapping>;
export type ExportList = C.ExportList;
export type ErrorCode = C.ErrorCode;
export type FieldError = C.FieldError;
export type ApiErrorBody = C.ApiErrorBody;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

// Analytics (docs/analytics.md is the contract for every figure)
export type Rate = z.infer<typeof C.RateOut>;
export type Interval = z.infer<typeof C.IntervalOut>;
export type AnalyticsPeriod = z.infer<typeof C.PeriodOut>;
export type FunnelResponse = z.infer<typeof C.FunnelResponse>;
export type CohortFunnel = z.infer<typeof C.CohortFunnelOut>;
export type FlowFunnel = z.infer<typeof C.FlowFunnelOut>;
export type OutcomesResponse = z.infer<typeof C.OutcomesResponse>;
export type DwellResponse = z.infer<typeof C.DwellResponse>;
export type StandardFunnelResponse = z.infer<typeof C.StandardFunnelResponse>;
export type ForecastResponse = z.infer<typeof C.ForecastResponse>;
export type VelocityResponse = z.infer<typeof C.VelocityResponse>;
export type LossReasonsResponse = z.infer<typeof C.LossReasonsResponse>;
export type TeamResponse = z.infer<typeof C.TeamResponse>;
export type ChannelsResponse = z.infer<typeof C.ChannelsResponse>;
export type BottlenecksResponse = z.infer<typeof C.BottlenecksResponse>;
export type TrendResponse = z.infer<typeof C.TrendResponse>;
export type HealthResponse = z.infer<typeof C.HealthResponse>;
export type CollectionsResponse = z.infer<typeof C.CollectionsResponse>;
export type CalibrationResponse = z.infer<typeof C.CalibrationResponse>;
export type MissedEntryResponse = z.infer<typeof C.MissedEntryResponse>;
export type TargetDecompositionBody = z.input<typeof C.TargetDecompositionBody>;
export type TargetDecomposition = z.infer<typeof C.TargetDecompositionResponse>;
export type Target = z.infer<typeof C.Target>;
export type CreateTargetBody = z.input<typeof C.CreateTargetBody>;
export type AuditAction = (typeof C.AUDIT_ACTIONS)[number];

/**
 * GET /analytics/dashboard. Its schema lives in the server's routes, not in the contracts, so
 * it is assembled here from the contract parts (same fields, same order).
 */
export interface DashboardResponse {
  period: AnalyticsPeriod;
  funnel: FunnelResponse;
  outcomes: OutcomesResponse;
  dwell: DwellResponse;
  standard: StandardFunnelResponse;
  forecast: ForecastResponse;
  velocity: VelocityResponse;
  losses: LossReasonsResponse;
  team: TeamResponse;
  channels: ChannelsResponse;
  bottlenecks: BottlenecksResponse;
  trend: TrendResponse;
}
