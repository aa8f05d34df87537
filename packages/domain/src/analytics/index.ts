/** Pure funnel analytics: the reference implementation of docs/analytics.md. */
export * from './types';
export * from './stats';
export * from './periods';
export * from './grouping';
export * from './history';
export * from './conversion';
export * from './outcomes';
export * from './dwell';
export * from './forecast';
export * from './health';
export * from './targets';
export * from './losses';
export * from './team';
export * from './channel';
export * from './data-quality';
export * from './bottlenecks';
export * from './marketing';
