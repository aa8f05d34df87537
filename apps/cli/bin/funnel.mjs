#!/usr/bin/env node
// The `funnel` command. Node 20 cannot run TypeScript itself: tsx compiles on the fly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
