/**
 * A small typed i18n: the English catalogue defines the keys, zh-CN must have exactly the same
 * (the compiler checks it, and i18n.test.ts checks it again with the keys used in code).
 * A key missing at run time is reported as a console error, which fails the end-to-end run.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { en } from './en';
import { zhCN } from './zh-CN';
import { configureApi } from '../api/client';
import type { UiLocale } from '../lib/format';

export type MessageKey = keyof typeof en;
export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export const catalogues: Record<UiLocale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
export const LOCALES: { value: UiLocale; label: string }[] = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
];
const STORAGE_KEY = 'funnel.locale';

/**
 * `{name}` is the parameter; `{name:one|other}` picks a word by it (English plurals: "1 deal",
 * "2 deals"), reading a number formatted for display ("1,234") as the number it shows.
 */
export function interpolate(template: string, params: MessageParams = {}): string {
  return template
    .replace(/\{(\w+):([^|}]*)\|([^}]*)\}/g, (whole, name: string, one: string, other: string) => {
      if (params[name] === undefined) return whole;
      return Number(String(params[name]).replace(/[^\d.-]/g, '')) === 1 ? one : other;
    })
    .replace(/\{(\w+)\}/g, (whole, name: string) =>
      params[name] === undefined ? whole : String(params[name]),
    );
}

export function translate(locale: UiLocale, key: MessageKey, params?: MessageParams): string {
  const template = catalogues[locale][key] as string | undefined;
  if (template === undefined) {
    console.error(`[i18n] missing key "${String(key)}" in ${locale}`);
    return String(key);
  }
  return interpolate(template, params);
}

/** Whether the catalogue has this key (to label something only when a label exists). */
export function hasMessage(key: string): key is MessageKey {
  return key in catalogues.en;
}

export function normaliseLocale(value: string | null | undefined): UiLocale | null {
  if (!value) return null;
  return value.toLowerCase().startsWith('zh') ? 'zh-CN' : value.startsWith('en') ? 'en' : null;
}

/** The remembered choice, else the browser's language. */
export function initialLocale(): UiLocale {
  const stored = normaliseLocale(localStorage.getItem(STORAGE_KEY));
  if (stored) return stored;
  for (const language of navigator.languages ?? [navigator.language]) {
    const locale = normaliseLocale(language);
    if (locale) return locale;
  }
  return 'en';
}

function applyLocale(locale: UiLocale): void {
  configureApi({ language: locale });
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = locale;
}

interface I18nValue {
  locale: UiLocale;
  setLocale: (locale: UiLocale) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<UiLocale>(() => {
    const first = initialLocale();
    applyLocale(first);
    return first;
  });
  const setLocale = useCallback((next: UiLocale) => {
    localStorage.setItem(STORAGE_KEY, next);
    applyLocale(next);
    setLocaleState(next);
  }, []);
  const value = useMemo<I18nValue>(
    () => ({ locale, setLocale, t: (key, params) => translate(locale, key, params) }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** Picks the label of a value list entry or custom field in the UI language. */
export function localLabel(
  locale: UiLocale,
  entry: { labelZh: string; labelEn: string } | undefined,
  fallback = '',
): string {
  if (!entry) return fallback;
  return locale === 'zh-CN' ? entry.labelZh : entry.labelEn;
}
