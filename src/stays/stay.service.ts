import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, houseScope, StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { localDate } from '../common/local-day';
import { CaseCipher, CaseReader } from '../common/case-cipher';
import { Config } from '../config/config';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { HousesRepository } from '../houses/houses.repository';
import { ExtendStayDto, StayDto, StaysQueryDto, TransferStayDto } from './dto/stay.dto';
import { BedsChanged, withRetries } from './retries';
import { atAdmissionTimeOfDay } from './stay-clock';
import { StayFamilyService } from './stay-family.service';
import { LockedStay, StayRecord, StayRepository } from './stay.repository';

/**
 * Permanencia: the stay while the family lives in the house (extension, transfer) and every
 * read of stays, with the view the other stages answer with.
 */
@Injectable()
export class StayService {
  constructor(
    private readonly stays: StayRepository,
    private readonly houses: HousesRepository,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly caseCipher: CaseCipher,
    private readonly config: Config,
    private readonly followUps: FollowUpsService,
    private readonly family: StayFamilyService,
  ) {}

  async extend(actor: StaffActor, stayId: string, input: ExtendStayDto): Promise<StayDto> {
    const tz = this.config.time.zone;
    await this.dataSource.transaction(async (manager) => {
      const stay = await this.lockVisibleStay(manager, actor, stayId);
      const termDate = localDate(stay.termEndsAt, tz);
      const maxDate = localDate(stay.maxEndsAt, tz);
      if (input.until <= termDate) {
        throw DomainError.validation(
          'until',
          `until must be after the current end of the term (${termDate})`,
        );
      }
      if (stay.status !== 'active') {
        throw new DomainError('INVALID_STATE', 'The stay has ended');
      }
      if (input.until > maxDate) {
        throw new DomainError(
          'STAY_LIMIT_EXCEEDED',
          `A stay may be extended up to ${maxDate} at most`,
        );
      }
      const wanted = atAdmissionTimeOfDay(input.until, stay.admittedAt, tz);
      const termEndsAt = wanted > stay.maxEndsAt ? stay.maxEndsAt : wanted;
      const caseKey = await this.caseCipher.writer(stay.referralId);
      await this.stays.extendTerm(manager, stay.id, {
        previousTermEndsAt: stay.termEndsAt,
        termEndsAt,
        reason: caseKey.encrypt(input.reason.trim()),
        extendedBy: actor.id,
        now: this.clock.now(),
      });
      await this.followUps.scheduleTermAlerts(manager, {
        id: stay.id,
        houseId: stay.houseId,
        termEndsAt,
      });
      await this.audit.record(
        actor,
        'stay.extended',
        'stay',
        stay.id,
        { houseId: stay.houseId, termEndsAt: termEndsAt.toISOString() },
        manager,
      );
    });
    this.followUps.enqueueSoon();
    return this.present(stayId);
  }

  async transfer(actor: StaffActor, stayId: string, input: TransferStayDto): Promise<StayDto> {
    await withRetries(
      () =>
        this.dataSource.transaction(async (manager) => {
          const stay = await this.lockVisibleStay(manager, actor, stayId);
          if (input.toHouseId === stay.houseId) {
            throw DomainError.validation('toHouseId', 'toHouseId must be another house');
          }
          if (!(await this.houses.houseExists(input.toHouseId, manager))) {
            throw DomainError.validation('toHouseId', 'toHouseId is not a house');
          }
          if (stay.status !== 'active') {
            throw new DomainError('INVALID_STATE', 'The stay has ended');
          }
          await this.stays.lockHouses(manager, [stay.houseId, input.toHouseId]);
          const now = this.clock.now();
          const wheelchairAccessible = await this.stays.needsWheelchairAccess(
            manager,
            stay.referralId,
          );
          const family = await this.stays.findOpenOccupancies(manager, stay.id);
          const beds = await this.stays.chooseBeds(
            manager,
            input.toHouseId,
            { size: family.length, wheelchairAccessible },
            now,
          );
          if (!beds) {
            throw new DomainError('NO_CAPACITY', 'The house cannot take the whole family');
          }
          await this.lockChosenBeds(manager, input.toHouseId, beds, now);
          await this.stays.closeOccupancies(manager, stay.id, now);
          // The stay moves first: a new interval must name the stay's house.
          const caseKey = await this.caseCipher.writer(stay.referralId);
          await this.stays.recordTransfer(manager, stay.id, {
            fromHouseId: stay.houseId,
            toHouseId: input.toHouseId,
            reason: caseKey.encrypt(input.reason.trim()),
            transferredBy: actor.id,
            at: now,
          });
          await this.stays.openOccupancies(
            manager,
            stay.id,
            input.toHouseId,
            family.map((person, i) => ({ ...person, bedId: beds[i] })),
            now,
          );
          await this.audit.record(
            actor,
            'stay.transferred',
            'stay',
            stay.id,
            { fromHouseId: stay.houseId, toHouseId: input.toHouseId, people: family.length },
            manager,
          );
        }),
      () => new DomainError('CONFLICT', 'The beds changed during the transfer; please try again'),
    );
    return this.present(stayId);
  }

  async find(actor: Actor, stayId: string): Promise<StayDto> {
    const stay = await this.stays.findStay(stayId);
    const scope = houseScope(actor);
    if (!stay || (scope !== null && stay.houseId !== scope)) {
      throw DomainError.notFound('Stay');
    }
    if (stay.egressNotesCiphertext !== null || stay.egressDestinationCiphertext !== null) {
      await this.audit.record(actor, 'stay.personal_data_read', 'stay', stay.id, {
        houseId: stay.houseId,
      });
    }
    const [view] = await this.family.withFamily(actor, await this.views([stay], true));
    return view;
  }

  async list(actor: Actor, query: StaysQueryDto): Promise<StayDto[]> {
    const scope = houseScope(actor);
    if (scope !== null && query.houseId !== undefined && query.houseId !== scope) {
      throw DomainError.notFound('House');
    }
    const stays = await this.stays.findStays({
      ids: query.q === undefined ? undefined : await this.family.findStayIdsMatching(query.q),
      houseId: scope ?? query.houseId ?? null,
      status: query.status,
    });
    return this.family.withFamily(actor, await this.views(stays, false));
  }

  /** A coordinator may act only on stays of its house; any other answers 404 like a missing one. */
  async lockVisibleStay(
    manager: EntityManager,
    actor: StaffActor,
    stayId: string,
  ): Promise<LockedStay> {
    const stay = await this.stays.lockStay(manager, stayId);
    const scope = houseScope(actor);
    if (!stay || (scope !== null && stay.houseId !== scope)) {
      throw DomainError.notFound('Stay');
    }
    return stay;
  }

  /** A bed taken out of service between our read and our lock sends the use case round again. */
  async lockChosenBeds(
    manager: EntityManager,
    houseId: string,
    bedIds: string[],
    from: Date,
  ): Promise<void> {
    const { missing, unavailable } = await this.stays.lockBedsAndFindUnavailable(
      manager,
      bedIds,
      houseId,
      from,
    );
    if (missing.length > 0 || unavailable.length > 0) {
      throw new BedsChanged();
    }
  }

  /** The stay as every use case answers it, after its transaction committed. */
  async present(stayId: string): Promise<StayDto> {
    const stay = await this.stays.findStay(stayId);
    if (!stay) {
      throw DomainError.notFound('Stay');
    }
    const [view] = await this.views([stay], true);
    return view;
  }

  /**
   * Staff's reasons (extensions, transfers) are decrypted with the case's key; where she went and
   * the egress notes only for one stay (its read audited by `find`; the egress answer shows what
   * the caller just wrote), never in lists. An erased case's texts read as null.
   */
  private async views(stays: StayRecord[], withPersonalData: boolean): Promise<StayDto[]> {
    const reader = await this.caseCipher.reader(stays.map((s) => s.referralId));
    return stays.map((stay) => this.view(stay, reader, withPersonalData));
  }

  private view(stay: StayRecord, reader: CaseReader, withPersonalData: boolean): StayDto {
    const { egressNotesCiphertext, egressDestinationCiphertext, ...stored } = stay;
    const rest = { ...stored, orderOverdue: orderOverdue(stay, this.clock.now()) };
    const text = (value: string | null) => (value ? reader.text(value) : null);
    const readable = {
      ...rest,
      extensions: rest.extensions.map((e) => ({ ...e, reason: text(e.reason) })),
      transfers: rest.transfers.map((t) => ({ ...t, reason: text(t.reason) })),
    };
    if (!withPersonalData) {
      return readable;
    }
    return {
      ...readable,
      egressDestination: text(egressDestinationCiphertext),
      egressNotes: text(egressNotesCiphertext),
    };
  }
}

/**
 * Still waiting for its protection order after `orderDueBy`, and not exited before then: from
 * the time alone, so the stay says so even before (or without) the order_overdue alert's job.
 * The reports' `ordersOverdue` counts the same stays.
 */
export function orderOverdue(
  stay: Pick<StayRecord, 'provisional' | 'orderDueBy' | 'exitedAt'>,
  now: Date,
): boolean {
  return (
    stay.provisional &&
    stay.orderDueBy !== null &&
    stay.orderDueBy <= now &&
    (stay.exitedAt === null || stay.exitedAt > stay.orderDueBy)
  );
}
