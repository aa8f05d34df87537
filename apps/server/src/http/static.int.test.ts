/** The built web app is served at / with a single-page fallback, and files added after start are found. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { createServices } from '../services';
import { openTestDatabase } from '../../test/harness';
import type { FastifyInstance } from 'fastify';

let app: FastifyInstance;
let dist: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  dist = mkdtempSync(path.join(os.tmpdir(), 'funnel-dist-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Funnel</title>');
  const opened = await openTestDatabase();
  cleanup = opened.cleanup;
  app = await buildApp({ services: createServices({ db: opened.database.db }), webDist: dist });
});
afterAll(async () => {
  await app?.close();
  await cleanup?.();
  rmSync(dist, { recursive: true, force: true });
});

describe('serving the web app', () => {
  it('serves index.html for app routes, new assets without a restart, and 404 for missing files', async () => {
    const page = await app.inject({
      method: 'GET',
      url: '/dashboard?period=month',
      headers: { accept: 'text/html' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Funnel</title>');
    writeFileSync(path.join(dist, 'assets', 'late-chunk.js'), 'export {}');
    const asset = await app.inject({ method: 'GET', url: '/assets/late-chunk.js' });
    expect(asset.statusCode).toBe(200);
    const missing = await app.inject({ method: 'GET', url: '/assets/missing.js' });
    expect(missing.statusCode).toBe(404);
    const api = await app.inject({
      method: 'GET',
      url: '/api/v1/nowhere',
      headers: { accept: 'text/html' },
    });
    expect(api.statusCode).toBe(401);
  });
});
