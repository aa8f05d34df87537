/** Workspace-level rules an admin can change; defaults follow SPEC F-3, F-4, F-5. */
import { DEFAULT_CADENCE, DEFAULT_LATE_ENTRY_HOURS, type Cadence } from './follow-up';
import { DEFAULT_PRIORITY_RULES, type PriorityRule } from './priority';
import type { Role } from './roles';

export interface WorkspaceRules {
  priorityRules: PriorityRule[];
  cadenceDays: Cadence;
  /** Roles that see contact details unmasked (owners always see their own). */
  contactDetailRoles: Role[];
  lateEntryHours: number;
  /**
   * Configured conversion benchmarks for bottleneck detection, by stage names (e.g. the industry
   * figure 意向客户 -> 成交 30%). Rates are fractions.
   */
  conversionBenchmarks: { fromStage: string; toStage: string; rate: number }[];
  /** Follow-up compliance grace: done within this many hours after the planned time is on time. */
  followUpGraceHours: number;
}

export const DEFAULT_WORKSPACE_RULES: WorkspaceRules = {
  priorityRules: DEFAULT_PRIORITY_RULES,
  cadenceDays: DEFAULT_CADENCE,
  contactDetailRoles: ['manager', 'director', 'admin'],
  lateEntryHours: DEFAULT_LATE_ENTRY_HOURS,
  conversionBenchmarks: [],
  followUpGraceHours: 24,
};

/** Fills missing keys of stored settings with the defaults. */
export function resolveWorkspaceRules(
  stored: Partial<WorkspaceRules> | null | undefined,
): WorkspaceRules {
  return { ...DEFAULT_WORKSPACE_RULES, ...(stored ?? {}) };
}
