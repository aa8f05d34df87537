/**
 * The stage history of an imported opportunity. A file gives at best its full history, at least
 * its current stage, status and a few dates; either way the opportunity gets the events the app
 * itself would have written: a 'create' at acquisition, the moves (forward / skip / back), the
 * close, and what is needed to agree with the current stage. Times never go backwards.
 */
import { classifyMove } from '@funnel/domain';

export interface StageInfo {
  id: string;
  name: string;
  kind: 'open' | 'won' | 'lost';
  position: number;
  winProbability: number;
}

export type Status = 'open' | 'won' | 'lost' | 'postponed';

export interface TimelineInput {
  stages: readonly StageInfo[];
  acquiredAt: Date;
  status: Status;
  /** The current stage: an open stage (open, postponed), the won or lost stage otherwise. */
  stage: StageInfo;
  /** The open stage a closed opportunity was in before closing (default: the first open stage). */
  lastOpenStage: StageInfo | null;
  stageEnteredAt: Date | null;
  closedAt: Date | null;
  history: readonly { stage: StageInfo; at: Date; reason: string | null }[];
}

export interface TimelineEvent {
  fromStageId: string | null;
  toStageId: string;
  kind: 'create' | 'forward' | 'skip' | 'back' | 'won' | 'lost' | 'postpone' | 'reopen';
  status: Status;
  at: Date;
  reason: string | null;
}

export interface Timeline {
  events: TimelineEvent[];
  stageEnteredAt: Date;
  closedAt: Date | null;
  reachedPosition: number;
  /** The open stage before the close (for the priority of a lost opportunity). */
  lastOpenStage: StageInfo;
  historyBeforeCreation: boolean;
  reconciledAt: Date | null;
}

const later = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

export function buildTimeline(input: TimelineInput): Timeline {
  const open = input.stages.filter((s) => s.kind === 'open');
  const firstOpen = open[0]!;
  const events: TimelineEvent[] = [];
  let current: StageInfo | null = null;
  let lastOpen: StageInfo = input.lastOpenStage ?? firstOpen;
  let at = input.acquiredAt;
  let historyBeforeCreation = false;
  let reconciledAt: Date | null = null;

  const push = (
    to: StageInfo,
    when: Date,
    reason: string | null,
    forced?: TimelineEvent['kind'],
  ) => {
    at = later(when, at);
    let kind: TimelineEvent['kind'];
    let status: Status = 'open';
    if (forced) kind = forced;
    else if (!current) kind = 'create';
    else if (to.kind === 'won' || to.kind === 'lost') kind = to.kind;
    else if (current.kind !== 'open') kind = 'reopen';
    else kind = classifyMove(input.stages, current.id, to.id) as 'forward';
    if (to.kind === 'won') status = 'won';
    if (to.kind === 'lost') status = 'lost';
    if (kind === 'postpone') status = 'postponed';
    events.push({ fromStageId: current?.id ?? null, toStageId: to.id, kind, status, at, reason });
    if (to.kind === 'open') lastOpen = to;
    current = to;
  };

  const enter = (to: StageInfo, when: Date, reason: string | null) => {
    if (!current) {
      // The first event creates the opportunity in an open stage, at acquisition.
      push(
        to.kind === 'open' ? to : lastOpen,
        input.acquiredAt,
        to.kind === 'open' ? reason : null,
      );
      if (to.kind === 'open') return;
    }
    if (current!.id === to.id) return;
    if (to.kind !== 'open' && current!.kind !== 'open') {
      // Closed to closed (e.g. won then lost): reopen first, as the app requires.
      push(lastOpen, when, null, 'reopen');
    }
    push(to, when, reason);
  };

  for (const h of input.history) {
    let when = h.at;
    if (when < input.acquiredAt) {
      historyBeforeCreation = true;
      when = input.acquiredAt;
    }
    enter(h.stage, when, h.reason);
  }

  const closed = input.status === 'won' || input.status === 'lost';
  const target = input.stage;
  if (events.length === 0) {
    const entry = closed ? lastOpen : target;
    const enteredAt = input.stageEnteredAt;
    if (!closed && entry.id !== firstOpen.id && enteredAt && enteredAt > input.acquiredAt) {
      push(firstOpen, input.acquiredAt, null);
      push(entry, enteredAt, null);
    } else {
      push(entry, input.acquiredAt, null);
    }
    if (closed) push(target, input.closedAt ?? input.stageEnteredAt ?? at, null);
  } else if (current!.id !== target.id || (closed && current!.kind !== target.kind)) {
    // The file's current stage wins over a history that stops short of it.
    const when = later(closed ? (input.closedAt ?? at) : (input.stageEnteredAt ?? at), at);
    reconciledAt = when;
    enter(target, when, null);
  }
  if (input.status === 'postponed') push(current!, at, null, 'postpone');

  const entering = [...events].reverse().find((e) => e.kind !== 'postpone')!;
  const byId = new Map(input.stages.map((s) => [s.id, s]));
  const reachedPosition = Math.max(
    1,
    ...events
      .map((e) => byId.get(e.toStageId)!)
      .filter((s) => s.kind !== 'lost')
      .map((s) => s.position),
  );
  return {
    events,
    stageEnteredAt: entering.at,
    closedAt: closed ? entering.at : null,
    reachedPosition,
    lastOpenStage: lastOpen,
    historyBeforeCreation,
    reconciledAt,
  };
}
