// @ts-check
// The shapes of the API answers the page reads (API.md), for JSDoc type checking only.

/**
 * @typedef {'admin' | 'admission_officer' | 'house_coordinator' | 'team_member' | 'analyst'} StaffRole
 * @typedef {{ sub: string, role: StaffRole, houseId?: string | null, discipline?: string,
 *   exp?: number }} Claims
 * @typedef {{ termMonths: number, maxExtensionMonths: number, maxMonths: number,
 *   holdMinutes: number }} StaySettings
 * @typedef {{ timeZone: string, stay: StaySettings, egressReasons: string[],
 *   followUpOutcomes: string[], followUpSchedule: string[], termEndingWindowDays: number }} Settings
 * @typedef {{ id: string, code: string, name: string, capacity: number, active: boolean }} House
 * @typedef {{ id: string, label: string, inService: boolean, occupantId: string | null }} Bed
 * @typedef {{ id: string, name: string, wheelchairAccessible?: boolean, beds: Bed[] }} Room
 * @typedef {{ personId: string, role: 'woman' | 'dependant', bedId: string }} Occupant
 * @typedef {{ previousTermEndsAt: string, termEndsAt: string, reason: string,
 *   extendedAt: string }} Extension
 * @typedef {{ personId: string, role: 'woman' | 'dependant', fullName: string | null,
 *   birthDate: string | null, relationship: string | null, bedId: string | null }} FamilyMember
 * @typedef {{ id: string, referralId: string, houseId: string, status: 'active' | 'exited',
 *   admittedAt: string, termEndsAt: string, maxEndsAt: string, exitedAt: string | null,
 *   occupants: Occupant[], extensions: Extension[], familyLabel?: string,
 *   family?: FamilyMember[], riskLevel?: string, provisional?: boolean,
 *   orderDueBy?: string | null, orderOverdue?: boolean,
 *   protectionOrder?: ProtectionOrder | null }} Stay
 * @typedef {{ number: string | null, authorityType: string, authorityName: string | null,
 *   issuedAt: string }} ProtectionOrder
 * @typedef {{ personId: string, fullName: string | null, documentType: string | null,
 *   documentNumber: string | null, birthDate: string | null, phone: string | null }} Woman
 * @typedef {{ personId: string, fullName: string | null, birthDate: string | null,
 *   relationship: string | null }} Dependant
 * @typedef {{ id: string, houseId: string, status: string, admittedAt: string,
 *   exitedAt: string | null }} PriorStay
 * @typedef {{ id: string, status: string, createdAt: string, admittedAt: string | null,
 *   exitedAt: string | null, stays: PriorStay[] }} PriorReferral
 * @typedef {{ id: string, externalReference: string, status: string, erased: boolean,
 *   statusReason: string | null, statusReasonCode: string | null, createdAt: string,
 *   protectionOrder: ProtectionOrder | null,
 *   provisional: { reason: string, orderAttachedAt: string | null } | null,
 *   woman: Woman, dependants: Dependant[], riskLevel: string,
 *   needs: { wheelchairAccessible: boolean }, notes: string | null, familySize: number,
 *   priorReferrals: PriorReferral[] }} Referral
 * @typedef {{ houseId: string, houseCode: string, freePlaces: number,
 *   beds: string[] }} PlacementOption
 * @typedef {{ id: string, referralId: string, houseId: string, beds: string[],
 *   status: 'held' | 'confirmed' | 'cancelled' | 'expired', heldAt: string, expiresAt: string,
 *   stayId: string | null }} Hold
 * @typedef {{ id: string, stayId: string, houseId: string, sequence: number, dueAt: string,
 *   status: string, remindersSent: number, outcome: string | null,
 *   completedAt: string | null, cancelReason?: string | null }} FollowUp
 * @typedef {{ capacity: number, occupied: number, free: number,
 *   outOfService: number }} Totals
 * @typedef {Totals & { houseId: string, code: string, occupancyRate: number,
 *   termEndingWithin14Days: number }} HouseOccupancy
 * @typedef {{ asOf: string, totals: Totals, houses: HouseOccupancy[] }} Occupancy
 * @typedef {{ date: string, occupied: number, capacity: number }} HistoryDay
 */

export {};
