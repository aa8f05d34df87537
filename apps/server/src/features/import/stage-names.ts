/**
 * Stage names of other sales processes onto the chosen pipeline's stages. The seeds' presets
 * describe the same funnel in different words (意向明确 ~ 需求确认 ~ 意向客户; 方案对比 ~ 方案呈现 ~
 * 方案定制), and CRM exports use English ones: each group below is one step of the funnel. A name is
 * first looked up exactly in the pipeline, then through its group; the mapping's value map
 * overrides both.
 */
import { headerKey } from './values';
import type { StageInfo } from './timeline';

const GROUPS: string[][] = [
  [
    '线索获取',
    '初识',
    '潜在客户',
    '认知',
    '目标客户',
    '线索',
    'lead',
    'prospecting',
    'prospect',
    'new',
  ],
  [
    '需求确认',
    '意向明确',
    '意向客户',
    '兴趣',
    '意向',
    '需求明确',
    '立项',
    'qualification',
    'qualified',
    'engaging',
    'discovery',
    'needs analysis',
  ],
  [
    '方案呈现',
    '方案对比',
    '方案定制',
    '方案',
    'value proposition',
    'proposal',
    'solution',
    'demo',
    'id decision makers',
    'perception analysis',
    'proposal price quote',
  ],
  ['商务谈判', '价格谈判', '谈判', 'negotiation', 'negotiation review', 'negotiation/review'],
  ['合同签订', '签约', 'contract', 'closing', 'commit'],
  ['won', '成交落地', '成交', '赢单', '签约成功', 'closed won', 'closedwon', 'win'],
  ['lost', '输单', '未成交', '流失', '丢单', 'closed lost', 'closedlost', 'lose'],
];

const groupOf = new Map<string, number>();
GROUPS.forEach((names, i) => names.forEach((n) => groupOf.set(headerKey(n).key, i)));

export class StageMatcher {
  private readonly exact = new Map<string, StageInfo>();
  private readonly byGroup = new Map<number, StageInfo>();

  constructor(readonly stages: readonly StageInfo[]) {
    for (const s of stages) this.exact.set(headerKey(s.name).key, s);
    for (const s of stages) {
      const group =
        s.kind === 'won' ? 5 : s.kind === 'lost' ? 6 : groupOf.get(headerKey(s.name).key);
      if (group !== undefined && !this.byGroup.has(group)) this.byGroup.set(group, s);
    }
  }

  match(name: string): StageInfo | null {
    const key = headerKey(name).key;
    const exact = this.exact.get(key);
    if (exact) return exact;
    const group = groupOf.get(key);
    return group === undefined ? null : (this.byGroup.get(group) ?? null);
  }
}
