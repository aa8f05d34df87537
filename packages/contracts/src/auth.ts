import { z } from 'zod';
import { Id, Role } from './common';

export const SignInBody = z.object({
  email: z.string().trim().toLowerCase().max(200).pipe(z.email()),
  password: z.string().min(1).max(200),
});

export const Me = z
  .object({
    user: z.object({ id: Id, email: z.string(), name: z.string(), locale: z.string().nullable() }),
    workspace: z.object({
      id: Id,
      name: z.string(),
      currency: z.string(),
      timeZone: z.string(),
      locale: z.string(),
    }),
    role: Role,
    teamId: Id.nullable(),
    csrfToken: z.string().nullable().meta({
      description: 'Send as the X-CSRF-Token header on writes made with the session cookie.',
    }),
  })
  .meta({ id: 'Me' });

export const UpdateMeBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    locale: z.enum(['zh-CN', 'en']).nullable().optional(),
    currentPassword: z.string().max(200).optional(),
    newPassword: z.string().min(8).max(200).optional(),
  })
  .strict();

export const ApiToken = z
  .object({
    id: Id,
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });
export const CreateTokenBody = z.object({ name: z.string().trim().min(1).max(100) }).strict();
export const CreatedToken = ApiToken.extend({
  token: z.string().meta({ description: 'Shown once. Send as `Authorization: Bearer <token>`.' }),
});
