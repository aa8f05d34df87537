import { useMemo } from 'react';
import { useI18n } from '../i18n';
import { useMe } from '../api/queries';
import {
  formatBytes,
  formatCalendarDate,
  formatDateTime,
  formatInstantDate,
  formatMoney,
  formatNumber,
  formatShortDate,
} from '../lib/format';

/** Formatters bound to the UI language and the workspace's currency and time zone. */
export function useFormat() {
  const { locale } = useI18n();
  const { data: me } = useMe();
  const timeZone = me?.workspace.timeZone ?? 'Asia/Shanghai';
  const currency = me?.workspace.currency ?? 'CNY';
  return useMemo(
    () => ({
      locale,
      timeZone,
      currency,
      money: (value: string | number | null | undefined, precise = false) =>
        formatMoney(value, locale, { currency, precise }),
      number: (value: number) => formatNumber(value, locale),
      bytes: (value: number) => formatBytes(value, locale),
      dateTime: (iso: string | null | undefined) => formatDateTime(iso, timeZone, locale),
      instantDate: (iso: string | null | undefined) => formatInstantDate(iso, timeZone, locale),
      date: (date: string | null | undefined) => formatCalendarDate(date, locale),
      shortDate: (iso: string | null | undefined) => formatShortDate(iso, timeZone, locale),
    }),
    [locale, timeZone, currency],
  );
}
