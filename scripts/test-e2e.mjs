/* global fetch */
// `npm run test:e2e [-- --bench]`: builds the web app, measures the first page's JS, starts the
// server on a fresh demo database and a free port, and runs the end-to-end specs in Debian's
// Chromium (playwright-core). With --bench it also seeds 5,000 open opportunities into a second
// database and measures the board (results in artifacts/bench-web.json); --bench-only skips the
// specs.
import { spawn, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  createWriteStream,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(root, 'artifacts');
const benchOnly = process.argv.includes('--bench-only');
const bench = benchOnly || process.argv.includes('--bench');
const FIRST_PAGE_BUDGET = 500 * 1024;
mkdirSync(artifacts, { recursive: true });

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** JS the browser loads for the first page: the entry script and its modulepreloads. */
function firstPageWeight() {
  const dist = path.join(root, 'apps/web/dist');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const content = readFileSync(path.join(dist, file));
    if (/echarts/i.test(content.toString('utf8').slice(0, 2_000_000)) && /zrender/.test(content))
      throw new Error(`ECharts must not be in the first page (${file})`);
    raw += content.length;
    gzip += gzipSync(content, { level: 9 }).length;
  }
  return { files: files.length, raw, gzip, dashboard: dashboardChunks(dist) };
}

/** The dashboard's lazy chunks (the page and ECharts), loaded only when it is opened. */
function dashboardChunks(dist) {
  const chunks = {};
  for (const file of readdirSync(path.join(dist, 'assets'))) {
    const name = /^(DashboardPage|EChart)-.*\.js$/.exec(file)?.[1];
    if (!name) continue;
    const content = readFileSync(path.join(dist, 'assets', file));
    chunks[name] = { raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
  }
  return chunks;
}

async function startServer(dataDir, port, logName) {
  const log = createWriteStream(path.join(artifacts, logName));
  const child = spawn(
    process.execPath,
    [
      'apps/cli/bin/funnel.mjs',
      '--data-dir',
      dataDir,
      'serve',
      '--demo',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the server exited (${child.exitCode}); see artifacts/${logName}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('the server did not start within 240 s');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

function runSpecs(url, specs, extraEnv = {}) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...specs],
    { cwd: root, stdio: 'inherit', env: { ...process.env, E2E_BASE_URL: url, ...extraEnv } },
  );
  return result.status ?? 1;
}

console.log('== build the web app');
run('npm', ['run', 'build', '-w', 'apps/web']);
const weight = firstPageWeight();
console.log(
  `first page: ${weight.files} JS files, ${(weight.raw / 1024).toFixed(0)} KB raw, ${(weight.gzip / 1024).toFixed(0)} KB gzip (budget ${FIRST_PAGE_BUDGET / 1024} KB)`,
);
for (const [name, chunk] of Object.entries(weight.dashboard))
  console.log(`dashboard chunk ${name}: ${(chunk.gzip / 1024).toFixed(0)} KB gzip (lazy)`);
writeFileSync(path.join(artifacts, 'web-weight.json'), JSON.stringify(weight, null, 2));
if (weight.gzip > FIRST_PAGE_BUDGET) {
  console.error('The first page is over its JS budget.');
  process.exit(1);
}

let status = 0;
if (!benchOnly) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'funnel-e2e-'));
  const server = await startServer(dataDir, await freePort(), 'e2e-server.log');
  try {
    console.log(`== specs against ${server.url}`);
    status = runSpecs(server.url, [
      'e2e/roles.spec.ts',
      'e2e/lifecycle.spec.ts',
      'e2e/analytics.spec.ts',
      'e2e/pages.spec.ts',
      'e2e/import-export.spec.ts',
    ]);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (bench && status === 0) {
  console.log('== benchmark: board with 5,000 open opportunities');
  const benchDir = mkdtempSync(path.join(os.tmpdir(), 'funnel-bench-'));
  try {
    run(process.execPath, ['--import', 'tsx', 'e2e/seed-board.ts', benchDir, '5000']);
    const benchServer = await startServer(benchDir, await freePort(), 'bench-server.log');
    try {
      status = runSpecs(benchServer.url, ['e2e/bench.spec.ts'], {
        E2E_FIRST_PAGE_GZIP: String(weight.gzip),
      });
    } finally {
      await benchServer.stop();
    }
  } finally {
    rmSync(benchDir, { recursive: true, force: true });
  }
}
process.exit(status);
