#!/usr/bin/env node
// The `funnel` command. Node 20 cannot run TypeScript itself: tsx compiles on the fly.
import { register } from 'tsx/esm/api';

// `funnel … | head` closes the pipe early: stop quietly instead of crashing.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
