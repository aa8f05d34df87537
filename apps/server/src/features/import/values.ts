/**
 * Cell values as the importer understands them: dates in a declared or recognised format (and
 * Excel dates), exact amounts in 元 / 万元 / 分, priorities 高/中/低, statuses, yes/no, and
 * header names compared without case, spaces, punctuation or a unit in brackets.
 */
import { zoneOffsetMs } from '@funnel/domain';
import type { AmountUnit } from '@funnel/contracts';
import type { Cell } from './read-table';

export type Parsed<T> = { ok: true; value: T } | { ok: false };
const fail = { ok: false } as const;
const ok = <T>(value: T) => ({ ok: true as const, value });

/** Empty-looking cells: blank, dashes (—, -, －), N/A, null. */
export function isBlank(cell: Cell): boolean {
  if (cell === null) return true;
  if (typeof cell !== 'string') return false;
  const t = cell.trim();
  return t === '' || /^(—+|-+|－+|n\/?a|null|none|无)$/i.test(t);
}

export function textOf(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell).trim();
}

/** Header text -> comparison key, and the unit named in brackets (成交金额(万) -> wan). */
export function headerKey(header: string): { key: string; unit: AmountUnit | null } {
  const text = header.normalize('NFKC').trim();
  let unit: AmountUnit | null = null;
  const bracket = /[(（[【]([^)）\]】]*)[)）\]】]\s*$/.exec(text);
  if (bracket) {
    const inside = bracket[1]!.trim().toLowerCase();
    if (/^(万|万元|w|10k)$/.test(inside)) unit = 'wan';
    else if (/^(元|rmb|cny|yuan)$/.test(inside)) unit = 'yuan';
    else if (/^(分|fen)$/.test(inside)) unit = 'fen';
  }
  const key = text
    .replace(/[(（[【][^)）\]】]*[)）\]】]\s*$/, '')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
  return { key, unit };
}

// ---- dates ----

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond?: number;
  /** Explicit offset in minutes when the text carried one (Z, +08:00). */
  offsetMinutes: number | null;
  hasTime: boolean;
}

interface CompiledFormat {
  regex: RegExp;
  order: string[];
}

const formatCache = new Map<string, CompiledFormat>();

/** Compiles a format such as DD-MM-YYYY, M/D/YYYY or DD/MM/YYYY HH:mm; a trailing time is always allowed. */
export function compileDateFormat(format: string): CompiledFormat {
  const cached = formatCache.get(format);
  if (cached) return cached;
  const order: string[] = [];
  const tokens = /YYYY|YY|MM|M|DD|D|HH|H|mm|ss/g;
  let pattern = '';
  let last = 0;
  for (const match of format.matchAll(tokens)) {
    pattern += escapeRegex(format.slice(last, match.index)).replace(/\\? /g, '\\s+');
    const token = match[0];
    order.push(token);
    pattern +=
      token === 'YYYY'
        ? '(\\d{4})'
        : token === 'YY'
          ? '(\\d{2})'
          : token.length === 2
            ? '(\\d{1,2})'
            : '(\\d{1,2})';
    last = match.index + token.length;
  }
  pattern += escapeRegex(format.slice(last));
  const hasTime = order.includes('HH') || order.includes('H');
  const timeTail = hasTime ? '' : '(?:[\\sT]+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?';
  if (!hasTime) order.push('tailH', 'tailm', 'tails');
  const compiled = { regex: new RegExp(`^${pattern}${timeTail}$`), order };
  formatCache.set(format, compiled);
  return compiled;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const DEFAULT_FORMATS = ['YYYY-MM-DD', 'YYYY/M/D', 'YYYY.M.D', 'YYYY年M月D日', 'YYYYMMDD'];

function validParts(p: LocalDateTime): boolean {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31) return false;
  if (p.hour > 23 || p.minute > 59 || p.second > 59) return false;
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day));
  return d.getUTCMonth() === p.month - 1 && d.getUTCDate() === p.day;
}

function matchFormat(text: string, format: string): LocalDateTime | null {
  const { regex, order } = compileDateFormat(format);
  const m = regex.exec(text);
  if (!m) return null;
  const p: LocalDateTime = {
    year: 0,
    month: 0,
    day: 0,
    hour: 0,
    minute: 0,
    second: 0,
    offsetMinutes: null,
    hasTime: false,
  };
  order.forEach((token, i) => {
    const raw = m[i + 1];
    if (raw === undefined) return;
    const n = Number(raw);
    if (token === 'YYYY') p.year = n;
    else if (token === 'YY') p.year = n < 70 ? 2000 + n : 1900 + n;
    else if (token === 'MM' || token === 'M') p.month = n;
    else if (token === 'DD' || token === 'D') p.day = n;
    else if (token === 'HH' || token === 'H' || token === 'tailH') {
      p.hour = n;
      p.hasTime = true;
    } else if (token === 'mm' || token === 'tailm') p.minute = n;
    else if (token === 'ss' || token === 'tails') p.second = n;
  });
  return validParts(p) ? p : null;
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;

/** Days from 1899-12-30 (Excel's epoch, with its 1900 leap-year bug absorbed). */
function fromExcelSerial(serial: number): LocalDateTime | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return null;
  const ms = Math.round((serial - 25569) * 86_400_000);
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    offsetMinutes: null,
    hasTime: serial % 1 !== 0,
  };
}

/**
 * A cell as a local date-time. Workbook dates carry the sheet's wall-clock time (exceljs gives
 * them as UTC fields); text follows the declared format, or an unambiguous default (ISO first).
 */
export function parseDateCell(cell: Cell, format: string | undefined): Parsed<LocalDateTime> {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return fail;
    return ok({
      year: cell.getUTCFullYear(),
      month: cell.getUTCMonth() + 1,
      day: cell.getUTCDate(),
      hour: cell.getUTCHours(),
      minute: cell.getUTCMinutes(),
      second: cell.getUTCSeconds(),
      millisecond: cell.getUTCMilliseconds(),
      offsetMinutes: null,
      hasTime: cell.getUTCHours() + cell.getUTCMinutes() + cell.getUTCSeconds() > 0,
    });
  }
  if (typeof cell === 'number') {
    const p = fromExcelSerial(cell);
    return p ? ok(p) : fail;
  }
  const text = textOf(cell).normalize('NFKC');
  if (!text) return fail;
  const iso = ISO_INSTANT.exec(text);
  if (iso) {
    const zone = iso[8]!.toUpperCase();
    const offset =
      zone === 'Z'
        ? 0
        : (zone.startsWith('-') ? -1 : 1) *
          (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    const p: LocalDateTime = {
      year: Number(iso[1]),
      month: Number(iso[2]),
      day: Number(iso[3]),
      hour: Number(iso[4]),
      minute: Number(iso[5]),
      second: Number(iso[6] ?? 0),
      millisecond: iso[7] ? Math.floor(Number(`0.${iso[7]}`) * 1000) : 0,
      offsetMinutes: offset,
      hasTime: true,
    };
    return validParts(p) ? ok(p) : fail;
  }
  for (const f of format ? [format] : DEFAULT_FORMATS) {
    const p = matchFormat(text, f);
    if (p) return ok(p);
  }
  if (!format && /^\d{5}(\.\d+)?$/.test(text)) {
    const p = fromExcelSerial(Number(text));
    if (p) return ok(p);
  }
  return fail;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function calendarDate(p: LocalDateTime): string {
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** The instant of a local date-time in a zone (or at its own offset). */
export function toInstant(p: LocalDateTime, timeZone: string): Date {
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond ?? 0);
  if (p.offsetMinutes !== null) return new Date(wall - p.offsetMinutes * 60_000);
  let instant = wall - zoneOffsetMs(new Date(wall), timeZone);
  instant = wall - zoneOffsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

// ---- amounts ----

const UNIT_MINOR: Record<AmountUnit, number> = { fen: 1, yuan: 100, wan: 1_000_000 };
const UNIT_DECIMALS: Record<AmountUnit, number> = { fen: 0, yuan: 2, wan: 6 };

export type AmountResult = { ok: true; value: number } | { ok: false; negative: boolean };

/**
 * An amount in 分. The cell's own unit wins (32万, 1,200元); otherwise the column's. Grouping
 * separators and currency signs are ignored; digits past the unit's precision round half up.
 */
export function parseAmountCell(cell: Cell, unit: AmountUnit): AmountResult {
  let text: string;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return { ok: false, negative: false };
    text = Math.abs(cell) < 1e-6 ? '0' : cell.toFixed(8);
    if (cell < 0) return { ok: false, negative: true };
  } else {
    text = textOf(cell)
      .normalize('NFKC')
      .replace(/[\s,_']/g, '');
  }
  let effective = unit;
  const suffix = /(万元|万|元|rmb|cny|yuan|￥|¥)$/i.exec(text);
  if (suffix) {
    effective = suffix[1]!.startsWith('万') ? 'wan' : 'yuan';
    text = text.slice(0, -suffix[1]!.length);
  }
  text = text.replace(/^[￥¥$]/, '');
  const negative = /^-/.test(text) || /^\(.*\)$/.test(text);
  if (negative) return { ok: false, negative: true };
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { ok: false, negative: false };
  const decimals = UNIT_DECIMALS[effective];
  const fraction = m[2] ?? '';
  const kept = fraction.slice(0, decimals).padEnd(decimals, '0');
  const roundUp = fraction.length > decimals && fraction[decimals]! >= '5';
  const minorPerUnit = UNIT_MINOR[effective];
  const scale = decimals === 0 ? 1 : minorPerUnit / 10 ** decimals;
  const value =
    Number(m[1]) * minorPerUnit + (kept ? Number(kept) * scale : 0) + (roundUp ? scale : 0);
  if (!Number.isSafeInteger(Math.round(value)) || value > 1e15)
    return { ok: false, negative: false };
  return { ok: true, value: Math.round(value) };
}

// ---- small vocabularies ----

export function parseNumberCell(cell: Cell): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  const text = textOf(cell).normalize('NFKC').replace(/[\s,]/g, '').replace(/%$/, '');
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}

export function parseBooleanCell(cell: Cell): boolean | null {
  if (typeof cell === 'boolean') return cell;
  const t = textOf(cell).toLowerCase();
  if (['true', 'yes', 'y', '1', '是', '有', 't', '√'].includes(t)) return true;
  if (['false', 'no', 'n', '0', '否', '无', 'f', '×'].includes(t)) return false;
  return null;
}

const PRIORITY_WORDS: Record<string, 'A' | 'B' | 'C'> = {
  a: 'A',
  高: 'A',
  high: 'A',
  h: 'A',
  b: 'B',
  中: 'B',
  medium: 'B',
  mid: 'B',
  m: 'B',
  c: 'C',
  低: 'C',
  low: 'C',
  l: 'C',
};

export function parsePriority(text: string): 'A' | 'B' | 'C' | null {
  return (
    PRIORITY_WORDS[
      text
        .trim()
        .toLowerCase()
        .replace(/优先级?$/, '')
    ] ?? null
  );
}

export type OpportunityStatus = 'open' | 'won' | 'lost' | 'postponed';

const STATUS_WORDS: Record<string, OpportunityStatus> = {
  open: 'open',
  进行中: 'open',
  跟进中: 'open',
  打开: 'open',
  在途: 'open',
  won: 'won',
  win: 'won',
  closedwon: 'won',
  赢单: 'won',
  成交: 'won',
  已成交: 'won',
  签约: 'won',
  lost: 'lost',
  lose: 'lost',
  closedlost: 'lost',
  输单: 'lost',
  丢单: 'lost',
  未成交: 'lost',
  流失: 'lost',
  postponed: 'postponed',
  延期: 'postponed',
  暂缓: 'postponed',
  搁置: 'postponed',
};

export function parseStatus(text: string): OpportunityStatus | null {
  return STATUS_WORDS[headerKey(text).key] ?? null;
}

/** Follow-up method from words in the text (电话, 拜访, 微信, 邮件 ...), 'other' otherwise. */
export function guessMethod(
  text: string,
): 'phone' | 'visit' | 'email' | 'online_meeting' | 'im' | 'other' {
  const t = text.toLowerCase();
  if (/^(phone|visit|email|online_meeting|im|other)$/.test(t)) return t as 'phone';
  if (/电话|致电|来电|phone|call/.test(t)) return 'phone';
  if (/拜访|上门|面谈|visit|meeting in person/.test(t)) return 'visit';
  if (/邮件|email|e-mail/.test(t)) return 'email';
  if (/视频|线上会议|腾讯会议|zoom|teams|online/.test(t)) return 'online_meeting';
  if (/微信|钉钉|企业微信|qq|wechat|im\b/.test(t)) return 'im';
  return 'other';
}

/** Masked contact details (138****5678, z***@x.com) must not be imported as if they were real. */
export function looksMasked(text: string): boolean {
  return /\*{2,}|^\*|\*@/.test(text);
}
