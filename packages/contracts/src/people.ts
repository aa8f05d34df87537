import { z } from 'zod';
import { Id, PageQuery, Role, Version } from './common';

const Email = z.string().trim().toLowerCase().max(200).pipe(z.email());

export const Member = z
  .object({
    id: Id,
    email: z.string(),
    name: z.string(),
    role: Role,
    teamId: Id.nullable(),
    teamName: z.string().nullable(),
    active: z.boolean(),
    canSignIn: z.boolean(),
    version: z.number(),
  })
  .meta({ id: 'Member' });

export const CreateUserBody = z
  .object({
    email: Email,
    name: z.string().trim().min(1).max(100),
    password: z
      .string()
      .min(8)
      .max(200)
      .optional()
      .meta({ description: 'Omit to create someone who cannot sign in.' }),
    role: Role,
    teamId: Id.nullable().optional(),
  })
  .strict();

export const UpdateUserBody = z
  .object({
    version: Version,
    name: z.string().trim().min(1).max(100).optional(),
    role: Role.optional(),
    teamId: Id.nullable().optional(),
    active: z.boolean().optional(),
    password: z.string().min(8).max(200).optional(),
  })
  .strict();

export const UserListQuery = PageQuery.extend({
  q: z.string().max(100).optional(),
  role: Role.optional(),
  teamId: Id.optional(),
});

export const Team = z
  .object({
    id: Id,
    name: z.string(),
    parentId: Id.nullable(),
    memberCount: z.number(),
    version: z.number(),
  })
  .meta({ id: 'Team' });
export const CreateTeamBody = z
  .object({ name: z.string().trim().min(1).max(100), parentId: Id.nullable().optional() })
  .strict();
export const UpdateTeamBody = z
  .object({
    version: Version,
    name: z.string().trim().min(1).max(100).optional(),
    parentId: Id.nullable().optional(),
  })
  .strict();
