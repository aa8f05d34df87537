/** The committed SQL migrations must match the TypeScript schema: generating again must find nothing new. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');

describe('schema and migrations', () => {
  it('have not drifted apart', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'funnel-drift-'));
    try {
      const out = path.join(dir, 'migrations');
      cpSync(path.join(here, 'migrations'), out, { recursive: true });
      const config = path.join(dir, 'drizzle.config.json');
      writeFileSync(
        config,
        JSON.stringify({
          dialect: 'postgresql',
          schema: path.relative(root, path.join(here, 'schema.ts')),
          out: path.relative(root, out),
        }),
      );
      const before = readdirSync(out).filter((f) => f.endsWith('.sql'));
      const output = execFileSync(
        path.join(root, 'node_modules/.bin/drizzle-kit'),
        ['generate', '--config', config],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
      const after = readdirSync(out).filter((f) => f.endsWith('.sql'));
      expect(
        after,
        `drizzle-kit generated a new migration; run npm run db:generate and commit it.\n${output}`,
      ).toEqual(before);
      expect(output).toContain('No schema changes');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
