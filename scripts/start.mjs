// `npm start`: build the web app when it is missing or older than its sources, then serve the
// API and the web app on the embedded database (or DATABASE_URL), creating the demo workspace
// on first run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'apps/web');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const webPackage = path.join(web, 'package.json');
const hasWebBuild = existsSync(webPackage) && existsSync(path.join(web, 'index.html'));
if (hasWebBuild) {
  const built = path.join(web, 'dist/index.html');
  const stale = !existsSync(built) || statSync(built).mtimeMs < newestMtime(path.join(web, 'src'));
  if (stale) {
    console.log('Building the web app…');
    const result = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

const args = [
  path.join(root, 'apps/cli/bin/funnel.mjs'),
  'serve',
  '--demo',
  ...process.argv.slice(2),
];
const child = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(child.status ?? 0);
