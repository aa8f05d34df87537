// `npm run bench`: every bench/*.bench.ts in turn (through tsx), each writing its section of
// docs/benchmarks.md. BENCH_ONLY=analytics runs one; see each file for its own settings.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.env.BENCH_ONLY;
const files = readdirSync(path.join(root, 'bench'))
  .filter((f) => /\.bench\.(ts|mts|mjs)$/.test(f))
  .filter((f) => !only || f.startsWith(only))
  .sort();
let status = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', file)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) status = result.status ?? 1;
}
process.exit(status);
