import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';

const SRC = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogues', () => {
  it('zh-CN and en have exactly the same keys', () => {
    const enKeys = Object.keys(en).sort();
    const zhKeys = Object.keys(zhCN).sort();
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([]);
  });

  it('every message is non-empty and keeps the same placeholders', () => {
    for (const [key, text] of Object.entries(en)) {
      const zh = zhCN[key as keyof typeof en];
      expect(text.trim(), key).not.toBe('');
      expect(zh.trim(), key).not.toBe('');
      // the code format hint documents tokens literally in both languages
      if (key !== 'settings.codeFormatHint')
        expect(placeholders(zh), key).toEqual(placeholders(text));
    }
  });

  it('Chinese messages are translated (contain Chinese), apart from a few neutral ones', () => {
    const neutral = new Set(['list.separator']);
    const untranslated = Object.entries(zhCN).filter(
      ([key, text]) => !neutral.has(key) && !/[\u4e00-\u9fff]/.test(text),
    );
    expect(untranslated).toEqual([]);
  });

  it('every key used in the code exists', () => {
    const used = new Set<string>();
    const prefixes = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(match[1]!);
      for (const match of text.matchAll(/\bt\(\s*`([^`$]+)\$\{/g)) prefixes.add(match[1]!);
      for (const match of text.matchAll(/label: '((?:nav|intent)\.[\w.]+)'/g)) used.add(match[1]!);
      for (const match of text.matchAll(/'(intent\.\w+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((key) => !(key in en));
    expect(missing).toEqual([]);
    // a dynamic key `prefix.${x}` needs at least one key with that prefix
    const deadPrefixes = [...prefixes].filter((p) => !Object.keys(en).some((k) => k.startsWith(p)));
    expect(deadPrefixes).toEqual([]);
  });
});

describe('interpolate', () => {
  it('picks the English word by the number, formatted or not', async () => {
    const { interpolate } = await import('./index');
    expect(interpolate(en['dashboard.figure.dealSizeDetail'], { count: 1 })).toBe('1 deal won');
    expect(interpolate(en['dashboard.figure.dealSizeDetail'], { count: 3 })).toBe('3 deals won');
    expect(interpolate(en['list.total'], { total: '1,001' })).toBe('1,001 opportunities');
    expect(interpolate(en['list.total'], { total: '1' })).toBe('1 opportunity');
    expect(interpolate(en['list.total'], { total: 0 })).toBe('0 opportunities');
    expect(interpolate(zhCN['list.total'], { total: 1 })).toBe('共 1 个商机');
  });
});
