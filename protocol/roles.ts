export const ROLES = ['observer', 'member', 'host'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { observer: 0, member: 1, host: 2 };

/** True when `role` is at least `least` (host ⊇ member ⊇ observer). */
export function roleAllows(role: Role, least: Role): boolean {
  return RANK[role] >= RANK[least];
}

/** A tablet is a member with a touch-first layout; the layout never widens powers. */
export const LAYOUTS = ['band', 'surface', 'console'] as const;
export type Layout = (typeof LAYOUTS)[number];
