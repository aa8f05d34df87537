import { z } from 'zod';
import { Id, PageQuery, UserRef, Version } from './common';
import { CustomFieldValues } from './settings-lists';

export const ACCOUNT_TIERS = ['A+', 'A', 'B', 'C'] as const;

export const Account = z
  .object({
    id: Id,
    name: z.string(),
    industry: z.string().nullable(),
    employees: z.number().nullable(),
    province: z.string().nullable(),
    city: z.string().nullable(),
    region: z.string().nullable(),
    tier: z.enum(ACCOUNT_TIERS).nullable(),
    owner: UserRef.nullable(),
    customFields: z.record(z.string(), z.unknown()),
    openOpportunities: z.number(),
    version: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Account' });

const Text100 = z.string().trim().max(100);

export const CreateAccountBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .meta({ description: 'Full legal name, no abbreviations.' }),
    industry: Text100.nullable().optional(),
    employees: z.number().int().min(0).max(10_000_000).nullable().optional(),
    province: Text100.nullable().optional(),
    city: Text100.nullable().optional(),
    region: Text100.nullable().optional(),
    tier: z.enum(ACCOUNT_TIERS).nullable().optional(),
    ownerId: Id.optional(),
    customFields: CustomFieldValues.optional(),
  })
  .strict();

export const UpdateAccountBody = CreateAccountBody.partial().extend({ version: Version }).strict();

export const AccountListQuery = PageQuery.extend({
  q: z.string().max(200).optional(),
  industry: z.string().max(100).optional(),
  region: z.string().max(100).optional(),
  tier: z.enum(ACCOUNT_TIERS).optional(),
  ownerId: Id.optional(),
  sort: z
    .enum(['name', '-name', 'createdAt', '-createdAt', 'employees', '-employees'])
    .default('name'),
});

export const DuplicateQuery = z.object({ name: z.string().trim().min(1).max(200) });
export const AccountMatch = z.object({
  id: Id,
  name: z.string(),
  similarity: z.number(),
  exact: z.boolean(),
});

export const Contact = z
  .object({
    id: Id,
    accountId: Id,
    accountName: z.string(),
    name: z.string(),
    title: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    imHandle: z.string().nullable(),
    decisionRole: z.string().nullable(),
    owner: UserRef.nullable(),
    masked: z
      .boolean()
      .meta({ description: 'true when phone, e-mail and IM handle are masked for you.' }),
    version: z.number(),
    createdAt: z.string(),
  })
  .meta({ id: 'Contact' });

export const CreateContactBody = z
  .object({
    accountId: Id,
    name: z.string().trim().min(1).max(100),
    title: Text100.nullable().optional(),
    phone: z
      .string()
      .trim()
      .max(40)
      .regex(/^[0-9+\-() ]*$/)
      .nullable()
      .optional(),
    email: z.string().trim().max(200).pipe(z.email()).nullable().optional(),
    imHandle: Text100.nullable().optional(),
    decisionRole: Text100.nullable().optional(),
    ownerId: Id.optional(),
  })
  .strict();

export const UpdateContactBody = CreateContactBody.omit({ accountId: true })
  .partial()
  .extend({ version: Version })
  .strict();

export const ContactListQuery = PageQuery.extend({
  q: z.string().max(200).optional(),
  accountId: Id.optional(),
  opportunityId: Id.optional(),
});
