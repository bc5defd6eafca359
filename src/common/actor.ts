export const STAFF_ROLES = [
  'admin',
  'admission_officer',
  'house_coordinator',
  'team_member',
  'analyst',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The interdisciplinary team's disciplines; a team member belongs to exactly one. */
export const DISCIPLINES = [
  'psychology',
  'social_work',
  'legal',
  'nutrition',
  'pedagogy',
  'health',
] as const;
export type Discipline = (typeof DISCIPLINES)[number];

/** Roles bound to one house (`houseId`): they see nothing of any other. */
export const HOUSE_BOUND_ROLES: readonly StaffRole[] = ['house_coordinator', 'team_member'];

/** Who is calling, resolved by the auth guard and handed explicitly to services. */
export type Actor =
  | {
      kind: 'staff';
      id: string;
      role: StaffRole;
      /** Set only for house-bound roles (coordinators and team members). */
      houseId: string | null;
      /** Set only for team members. */
      discipline: Discipline | null;
      /** The login session the access token belongs to (logout ends it). */
      sessionId: string;
      requestId: string;
    }
  | { kind: 'referrer'; id: string; requestId: string };

/** A person of the staff, as the guard resolved her: what every staff-only use case takes. */
export type StaffActor = Extract<Actor, { kind: 'staff' }>;

/** The house a coordinator or team member is bound to, or null for roles that see every house. */
export function houseScope(actor: Actor): string | null {
  return actor.kind === 'staff' && HOUSE_BOUND_ROLES.includes(actor.role) ? actor.houseId : null;
}

export function actorRole(actor: Actor): string {
  return actor.kind === 'staff' ? actor.role : 'referrer';
}
