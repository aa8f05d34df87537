/** Roles over the team hierarchy (SPEC F-5). */
export const ROLES = ['rep', 'manager', 'director', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who sees every record of the workspace. */
export function seesAll(role: Role): boolean {
  return role === 'director' || role === 'admin';
}
