export type StaffRole = 'admin' | 'admission_officer' | 'house_coordinator';
export const STAFF_ROLES: readonly StaffRole[] = [
  'admin',
  'admission_officer',
  'house_coordinator',
];

/** Who is calling, resolved by the auth guard and handed explicitly to services. */
export type Actor =
  | {
      kind: 'staff';
      id: string;
      role: StaffRole;
      /** Set only for house coordinators. */
      houseId: string | null;
      /** The login session the access token belongs to (logout ends it). */
      sessionId: string;
      requestId: string;
    }
  | { kind: 'referrer'; id: string; requestId: string };

/** The house a coordinator is bound to, or null for roles that see every house. */
export function houseScope(actor: Actor): string | null {
  return actor.kind === 'staff' && actor.role === 'house_coordinator' ? actor.houseId : null;
}

export function actorRole(actor: Actor): string {
  return actor.kind === 'staff' ? actor.role : 'referrer';
}
