import { z } from 'zod';
import { formatMoney, isValidDate, parseMoney, PRIORITIES, ROLES } from '@funnel/domain';

/** An amount in 元 given as a number or decimal string; parsed to exact minor units (分). */
export const MoneyInput = z
  .union([z.string().max(20), z.number()])
  .transform((value, ctx) => {
    const minor = parseMoney(value);
    if (minor === null) {
      ctx.addIssue({ code: 'custom', params: { i18n: 'money' }, input: value });
      return z.NEVER;
    }
    return minor;
  })
  .meta({
    description:
      'Amount in the workspace currency (元), e.g. "300000" or 300000.5; at most two decimals, at most 10,000,000,000,000.',
  });

/** Money in responses: a decimal string in 元 with two decimals. */
export const Money = z.string().meta({
  description: 'Amount in 元 as an exact decimal string, e.g. "300000.00"',
  example: '300000.00',
});
export const toMoney = (minor: number): string => formatMoney(minor);
export const toMoneyOrNull = (minor: number | null | undefined): string | null =>
  minor === null || minor === undefined ? null : formatMoney(minor);

export const Id = z.uuid();
export const IsoDateTime = z.iso.datetime({ offset: true });
export const IsoDate = z.string().refine((value) => isValidDate(value), {
  params: { i18n: 'invalid_format', format: 'date (YYYY-MM-DD)' },
});
export const Percent = z.number().min(0).max(100);
export const ShortText = z.string().trim().max(200);
export const LongText = z.string().max(10_000);
export const Role = z.enum(ROLES);
export const Priority = z.enum(PRIORITIES);
export const Version = z
  .number()
  .int()
  .min(1)
  .meta({ description: 'The version you read; a stale one answers 409.' });

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z
        .array(z.object({ path: z.string(), code: z.string(), message: z.string() }))
        .optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const UserRef = z.object({ id: Id, name: z.string() }).meta({ id: 'UserRef' });
export const OkResponse = z.object({ ok: z.literal(true) });
