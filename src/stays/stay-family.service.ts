import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Actor, StaffRole } from '../common/actor';
import { CaseCipher } from '../common/case-cipher';
import { protectionOrderView } from '../referrals/protection-order';
import { PiiCipher } from '../common/pii-cipher';
import { referralSearch } from '../referrals/referral-search';
import { ReferralPersonalData } from '../referrals/referral.types';
import { StayDto } from './dto/stay.dto';
import { familyLabel } from './family-label';
import { StayFamilyRepository } from './stay-family.repository';

/**
 * Who may read the family behind a stay they can see (coordinators see only their house's
 * stays, so this is the coordinator of the stay's house). A role added later (the house's
 * team, analysts) must be added here on purpose, not inherit the family by default.
 */
const FAMILY_READERS: readonly StaffRole[] = [
  'admin',
  'admission_officer',
  'house_coordinator',
  'team_member',
];

/**
 * The family, needs, risk and protection order behind each stay, for the people who house her:
 * the names come from the referral's encrypted data, and every such read is audited as a read
 * of the referral (`referral.read`, like GET /referrals), so that one query by the referral
 * shows everyone who saw her data, through either door.
 */
@Injectable()
export class StayFamilyService {
  constructor(
    private readonly repository: StayFamilyRepository,
    private readonly audit: AuditService,
    private readonly cipher: PiiCipher,
    private readonly caseCipher: CaseCipher,
  ) {}

  /**
   * The stays with `familyLabel`, and for family readers `family`, `needs`, `riskLevel` and
   * `protectionOrder`. The audit events of a list are written by one statement.
   */
  async withFamily(actor: Actor, stays: StayDto[]): Promise<StayDto[]> {
    const records = new Map(
      (await this.repository.findFamilies(stays.map((s) => s.id))).map((r) => [r.stayId, r]),
    );
    const reader = actor.kind === 'staff' && FAMILY_READERS.includes(actor.role);
    const cases = reader
      ? await this.caseCipher.reader([...records.values()].map((r) => r.referralId))
      : null;
    const views = stays.map((stay): StayDto => {
      const record = records.get(stay.id);
      if (!record) {
        return stay;
      }
      const labelled = {
        ...stay,
        familyLabel: familyLabel(record.familyNumber),
        erased: record.erased,
      };
      if (!cases) {
        return labelled;
      }
      const data = record.erased
        ? null
        : cases.decryptJson<ReferralPersonalData>(record.personalData);
      const names = data ? [data.woman, ...data.dependants] : [];
      const beds = new Map(stay.occupants.map((o) => [o.personId, o.bedId]));
      return {
        ...labelled,
        family: record.people.map((person, position) => ({
          personId: person.personId,
          role: person.role,
          fullName: data ? (names[position]?.fullName ?? '') : null,
          birthDate: names[position]?.birthDate ?? null,
          relationship: person.relationship,
          bedId: beds.get(person.personId) ?? null,
        })),
        needs: { wheelchairAccessible: record.wheelchairAccessible },
        riskLevel: record.riskLevel,
        protectionOrder:
          record.protectionOrder &&
          protectionOrderView((stored) => cases.text(stored), record.protectionOrder, !data),
      };
    });
    if (reader && records.size > 0) {
      await this.audit.recordMany(
        actor,
        stays
          .filter((s) => records.has(s.id))
          .map((s) => ({
            action: 'referral.read',
            resourceType: 'referral',
            resourceId: s.referralId,
            details: { via: 'stay', stayId: s.id, houseId: s.houseId },
          })),
      );
    }
    return views;
  }

  /** The stays whose family `q` finds (by document, external reference or name words). */
  findStayIdsMatching(q: string): Promise<string[]> {
    return this.repository.findStayIdsMatching(referralSearch(this.cipher, q));
  }
}
