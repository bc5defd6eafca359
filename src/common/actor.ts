export const STAFF_ROLES = ['admin', 'admission_officer', 'house_coordinator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who is calling, resolved by the auth guard and handed explicitly to services. */
export type Actor =
  | {
      kind: 'staff';
      id: string;
      role: StaffRole;
      /** Set only for house coordinators. */
      houseId: string | null;
      requestId: string;
    }
  | { kind: 'referrer'; id: string; requestId: string };

/** A person of the staff, as the guard resolved her: what every staff-only use case takes. */
export type StaffActor = Extract<Actor, { kind: 'staff' }>;

/** The house a coordinator is bound to, or null for roles that see every house. */
export function houseScope(actor: Actor): string | null {
  return actor.kind === 'staff' && actor.role === 'house_coordinator' ? actor.houseId : null;
}

export function actorRole(actor: Actor): string {
  return actor.kind === 'staff' ? actor.role : 'referrer';
}
