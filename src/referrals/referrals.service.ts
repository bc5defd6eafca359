import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, houseScope, StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError, FieldError } from '../common/domain-error';
import { CaseCipher, CaseReader } from '../common/case-cipher';
import { PiiCipher } from '../common/pii-cipher';
import { Config } from '../config/config';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { ErasureService } from '../data-protection/erasure.service';
import { canonicalJson } from './canonical-json';
import { nameTokensOf } from './name-words';
import { protectionOrderView } from './protection-order';
import { referralSearch } from './referral-search';
import { CreateReferralDto, ProtectionOrderDto } from './dto/create-referral.dto';
import { DEFAULT_PAGE_SIZE, ListReferralsQueryDto } from './dto/referral-actions.dto';
import {
  PriorReferralDto,
  ReferralDto,
  ReferralReceiptDto,
  ReferrerReferralDto,
} from './dto/referral.dto';
import {
  referrerStatusReason,
  ReferralPersonalData,
  ReferralStatus,
  RejectionReasonCode,
} from './referral.types';
import {
  NewReferral,
  ReferralRecord,
  ReferralsRepository,
  StoredReceipt,
} from './referrals.repository';

const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
/** Older dates are typing errors, not birth dates or orders. */
const EARLIEST_DATE = '1900-01-01';

export type ReferralView = ReferralDto | ReferrerReferralDto;

export interface IntakeResult {
  /** False for a replay: the caller gets the first answer again, with 200. */
  created: boolean;
  receipt: ReferralReceiptDto;
}

/** An erased case's woman: her place in the stay's ledger, nothing personal. */
function erasedWoman(personId: string): ReferralDto['woman'] {
  return {
    personId,
    fullName: null,
    documentType: null,
    documentNumber: null,
    birthDate: null,
    phone: null,
  };
}

function erasedDependant(personId: string): ReferralDto['dependants'][number] {
  return { personId, fullName: null, birthDate: null, relationship: null };
}

/** Who an external reference or an idempotency key belongs to. */
function callerKeyOf(actor: Actor): string {
  return actor.kind === 'referrer' ? `referrer:${actor.id}` : 'staff';
}

@Injectable()
export class ReferralsService {
  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
    private readonly caseCipher: CaseCipher,
    private readonly config: Config,
    private readonly followUps: FollowUpsService,
    private readonly erasure: ErasureService,
  ) {}

  /**
   * Records a referral once per (caller, external reference) and per live Idempotency-Key. The
   * unique index and the key's primary key decide races; a replay of the same body gets the
   * first answer, a different body IDEMPOTENCY_MISMATCH. A new intake is one statement (the
   * referral, its people, its audit event and its key together), so one round trip.
   */
  async create(
    actor: Actor,
    input: CreateReferralDto,
    idempotencyKey: string | undefined,
  ): Promise<IntakeResult> {
    if (actor.kind === 'referrer' && input.provisional !== undefined) {
      // Ley 2215 lets staff admit before the order; a comisaría sends the order it issued.
      throw DomainError.validation(
        'provisional',
        'provisional is for staff recording a provisional admission; a referrer sends protectionOrder',
      );
    }
    this.checkDates(this.intakeDates(input));
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      throw DomainError.validation(
        'Idempotency-Key',
        'Idempotency-Key must be 1-200 visible ASCII characters',
      );
    }
    // From here on the key is its HMAC: that is what is stored and compared.
    const storedKey =
      idempotencyKey === undefined ? undefined : this.cipher.idempotencyKey(idempotencyKey);
    const callerKey = callerKeyOf(actor);
    const fingerprint = this.cipher.fingerprint(canonicalJson(input));
    const now = this.clock.now();
    const dependants = input.dependants ?? [];

    const personalData: ReferralPersonalData = {
      woman: {
        fullName: input.woman.fullName,
        documentType: input.woman.documentType,
        documentNumber: input.woman.documentNumber || null,
        birthDate: input.woman.birthDate ?? null,
        phone: input.woman.phone ?? null,
      },
      dependants: dependants.map((d) => ({
        fullName: d.fullName,
        birthDate: d.birthDate ?? null,
        relationship: d.relationship,
      })),
      notes: input.notes ?? null,
    };
    const documentNumber = personalData.woman.documentNumber;
    // The case's data key is made first: a replay leaves an unused key behind, which is harmless.
    const id = randomUUID();
    const caseKey = await this.caseCipher.writer(id);
    const referral: NewReferral = {
      id,
      referrerId: actor.kind === 'referrer' ? actor.id : null,
      createdBy: actor.kind === 'staff' ? actor.id : null,
      callerKey,
      externalReference: input.externalReference,
      requestFingerprint: fingerprint,
      protectionOrder: input.protectionOrder
        ? { ...input.protectionOrder, number: caseKey.encrypt(input.protectionOrder.number) }
        : null,
      provisional: input.provisional
        ? {
            reasonCiphertext: caseKey.encrypt(input.provisional.reason.trim()),
            orderHours: this.config.stay.provisionalOrderHours,
          }
        : null,
      riskLevel: input.riskLevel,
      wheelchairAccessible: input.needs?.wheelchairAccessible ?? false,
      familySize: 1 + dependants.length,
      personalData: caseKey.encryptJson(personalData),
      documentIndex:
        input.woman.documentType === 'NONE' || documentNumber === null
          ? null
          : this.cipher.blindIndex(`${input.woman.documentType}:${documentNumber}`),
      nameTokens: nameTokensOf(this.cipher, personalData),
      createdAt: now,
    };
    const relationships = dependants.map((d) => d.relationship);
    const audit = this.audit.eventOf(actor, 'referral.created', 'referral', {
      riskLevel: input.riskLevel,
      familySize: 1 + dependants.length,
      idempotencyKey: idempotencyKey !== undefined,
      ...(input.provisional ? { provisional: true } : {}),
    });
    const receipt: Omit<StoredReceipt, 'id'> = {
      externalReference: input.externalReference,
      status: 'received',
      createdAt: now.toISOString(),
    };

    if (storedKey === undefined) {
      const id = await this.referrals.intake(referral, relationships, audit);
      return id !== null
        ? { created: true, receipt: { id, ...receipt } }
        : this.replayReference(callerKey, input.externalReference, fingerprint);
    }

    const key = {
      key: storedKey,
      receipt,
      liveSince: new Date(now.getTime() - IDEMPOTENCY_KEY_LIFETIME_MS),
    };
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.referrals.intakeWithKey(referral, relationships, audit, key);
      switch (outcome.kind) {
        case 'created':
          return { created: true, receipt: { id: outcome.id, ...receipt } };
        case 'key-live':
          return this.replay(outcome.holder, fingerprint, 'Idempotency-Key');
        case 'reference-taken':
          return this.replayReference(callerKey, input.externalReference, fingerprint, {
            key: storedKey,
            liveSince: key.liveSince,
            now,
          });
        case 'key-taken': {
          // Either a concurrent request took the key after our statement began (its holder
          // then answers for this request), or the key is an expired one: forget it, once.
          const holder = await this.referrals.findLiveIdempotencyKey(
            callerKey,
            storedKey,
            key.liveSince,
          );
          if (holder) {
            return this.replay(holder, fingerprint, 'Idempotency-Key');
          }
          if (attempt > 1) {
            throw new DomainError(
              'CONFLICT',
              'The Idempotency-Key changed concurrently; try again',
            );
          }
          await this.referrals.deleteExpiredIdempotencyKey(callerKey, storedKey, key.liveSince);
        }
      }
    }
  }

  /**
   * The first answer to the caller's external reference, when the body is the same. A key
   * first seen here is bound to the referral it replays, so that it cannot later carry another
   * body; if someone else holds it meanwhile, their claim stands.
   */
  private async replayReference(
    callerKey: string,
    externalReference: string,
    fingerprint: string,
    key?: { key: string; liveSince: Date; now: Date },
  ): Promise<IntakeResult> {
    const first = await this.referrals.findReceiptByReference(callerKey, externalReference);
    if (!first) {
      throw new DomainError('CONFLICT', 'The referral changed concurrently; try again');
    }
    const replayed = this.replay(first, fingerprint, 'externalReference');
    if (key) {
      await this.referrals.claimIdempotencyKey({
        callerKey,
        key: key.key,
        fingerprint,
        referralId: first.receipt.id,
        receipt: first.receipt,
        now: key.now,
        expiredBefore: key.liveSince,
      });
    }
    return replayed;
  }

  async findOne(actor: Actor, id: string): Promise<ReferralView> {
    if (actor.kind === 'referrer') {
      const own = await this.referrals.findById(id, actor.id);
      if (!own) {
        throw DomainError.notFound('Referral');
      }
      return this.referrerView(own, await this.caseCipher.reader([own.id]));
    }
    const record = await this.referrals.findById(id, null);
    if (!record) {
      throw DomainError.notFound('Referral');
    }
    const [view] = await this.staffViews([record]);
    await this.recordReads(actor, [record.id]);
    return view;
  }

  /**
   * Staff: every referral of the status (all without one) in the admission queue's order,
   * highest risk first, then oldest. Referrers: their own, newest first, in their view. One
   * page, and whether another follows: one row more than the page is read, so that a queue
   * longer than the page is never cut without a word (the controller sends a `Link` to the next
   * page) and no count of the whole table is needed.
   */
  async list(
    actor: Actor,
    query: ListReferralsQueryDto,
  ): Promise<{ views: ReferralView[]; nextOffset: number | null }> {
    const status = query.status ?? null;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const offset = query.offset ?? 0;
    const page = <T>(rows: T[]) => ({
      rows: rows.slice(0, limit),
      nextOffset: rows.length > limit ? offset + limit : null,
    });
    if (actor.kind === 'referrer') {
      if (query.q !== undefined) {
        throw new DomainError('FORBIDDEN', 'Search is for admission officers and admins');
      }
      const own = page(
        await this.referrals.findPageOfReferrer(actor.id, status, limit + 1, offset),
      );
      const reader = await this.caseCipher.reader(own.rows.map((r) => r.id));
      return {
        views: own.rows.map((r) => this.referrerView(r, reader)),
        nextOffset: own.nextOffset,
      };
    }
    const queue = page(
      query.q === undefined
        ? await this.referrals.findPageInQueueOrder(status, limit + 1, offset)
        : await this.referrals.findPageMatching(
            referralSearch(this.cipher, query.q),
            status,
            limit + 1,
            offset,
          ),
    );
    const views = await this.staffViews(queue.rows);
    await this.recordReads(
      actor,
      queue.rows.map((r) => r.id),
    );
    return { views, nextOffset: queue.nextOffset };
  }

  /** Erases the case (admin); the answer is its view as everyone reads it from now on. */
  async erase(actor: StaffActor, id: string): Promise<ReferralView> {
    const [erased] = await this.erasure.erase(actor, [id], 'admin');
    if (erased === undefined) {
      throw DomainError.notFound('Referral');
    }
    return this.findOne(actor, id);
  }

  /** By its referrer (only its own) or by staff; only while the referral is received. */
  withdraw(actor: Actor, id: string, reason: string | undefined): Promise<ReferralView> {
    return this.close(actor, id, 'withdrawn', reason?.trim() ?? null, null);
  }

  /** The code defaults to the contract's `other`. */
  reject(
    actor: Actor,
    id: string,
    reason: string,
    reasonCode: RejectionReasonCode | undefined,
  ): Promise<ReferralView> {
    return this.close(actor, id, 'rejected', reason.trim(), reasonCode ?? 'other');
  }

  private async close(
    actor: Actor,
    id: string,
    to: 'withdrawn' | 'rejected',
    reason: string | null,
    reasonCode: RejectionReasonCode | null,
  ): Promise<ReferralView> {
    const referrerId = actor.kind === 'referrer' ? actor.id : null;
    const record = await this.dataSource.transaction(async (manager) => {
      const status = await this.referrals.findStatus(manager, id, referrerId);
      if (status === null) {
        throw DomainError.notFound('Referral');
      }
      // Staff's reason can name people: under the case's key (only once the case is known).
      const reasonCipher =
        reason === null ? null : (await this.caseCipher.writer(id)).encrypt(reason);
      const closed = await this.referrals.closeIfReceived(manager, {
        id,
        referrerId,
        to,
        reason: reasonCipher,
        reasonCode,
        now: this.clock.now(),
      });
      if (!closed) {
        throw this.notReceived(
          (await this.referrals.findStatus(manager, id, referrerId)) ?? status,
          to,
        );
      }
      const events: Parameters<AuditService['recordMany']>[1] = [
        {
          action: to === 'withdrawn' ? 'referral.withdrawn' : 'referral.rejected',
          resourceType: 'referral',
          resourceId: id,
          details: { status: to, withReason: reason !== null, reasonCode },
        },
      ];
      if (actor.kind === 'staff') {
        // The answer carries the referral's personal data.
        events.push({
          action: 'referral.read',
          resourceType: 'referral',
          resourceId: id,
          details: { status: to, withReason: reason !== null },
        });
      }
      await this.audit.recordMany(actor, events, manager);
      return closed;
    });
    // The status callback the trigger wrote goes out now rather than at the relay's next tick.
    this.followUps.enqueueSoon();
    if (actor.kind === 'referrer') {
      return this.referrerView(record, await this.caseCipher.reader([record.id]));
    }
    const [view] = await this.staffViews([record]);
    return view;
  }

  /**
   * Attaches the protection order to a referral recorded provisionally (staff; a coordinator
   * only for a family in her house): its stay is no longer provisional and its pending
   * order alert is cancelled. A referral that is not waiting for an order is INVALID_STATE.
   */
  async attachProtectionOrder(
    actor: StaffActor,
    id: string,
    order: ProtectionOrderDto,
  ): Promise<ReferralDto> {
    this.checkDates([['issuedAt', order.issuedAt]]);
    const houseId = houseScope(actor);
    const record = await this.dataSource.transaction(async (manager) => {
      const attached = await this.referrals.attachProtectionOrder(manager, {
        id,
        order: { ...order, number: this.cipher.encrypt(order.number) },
        houseId,
        now: this.clock.now(),
      });
      if (!attached) {
        const state = await this.referrals.findOrderState(manager, id, houseId);
        if (state === null) {
          throw DomainError.notFound('Referral');
        }
        throw new DomainError(
          'INVALID_STATE',
          state.awaitingOrder
            ? `The referral was ${state.status}; no order can be attached`
            : 'The referral is not provisional: it already has its protection order',
        );
      }
      await this.audit.recordMany(
        actor,
        [
          {
            action: 'referral.order_attached',
            resourceType: 'referral',
            resourceId: id,
            details: { authorityType: order.authorityType, status: attached.status },
          },
          // The answer carries the referral's personal data.
          { action: 'referral.read', resourceType: 'referral', resourceId: id },
        ],
        manager,
      );
      return attached;
    });
    const [view] = await this.staffViews([record]);
    return view;
  }

  private notReceived(status: ReferralStatus, to: 'withdrawn' | 'rejected'): DomainError {
    const verb = to === 'withdrawn' ? 'withdrawn' : 'rejected';
    switch (status) {
      case 'admitted':
      case 'exited':
        return new DomainError(
          'INVALID_STATE',
          `The referral was already admitted; it can no longer be ${verb}`,
        );
      case 'withdrawn':
      case 'rejected':
        return new DomainError('INVALID_STATE', `The referral is already ${status}`);
      case 'received':
        return new DomainError('CONFLICT', 'The referral changed concurrently; try again');
    }
  }

  private replay(
    first: { receipt: StoredReceipt; fingerprint: string },
    fingerprint: string,
    by: 'externalReference' | 'Idempotency-Key',
  ): IntakeResult {
    if (first.fingerprint !== fingerprint) {
      throw new DomainError(
        'IDEMPOTENCY_MISMATCH',
        `This ${by} was already used with a different request body`,
      );
    }
    return { created: false, receipt: first.receipt };
  }

  /** The intake's dates, by their field paths. */
  private intakeDates(input: CreateReferralDto): [string, string | undefined][] {
    return [
      ['protectionOrder.issuedAt', input.protectionOrder?.issuedAt],
      ['woman.birthDate', input.woman.birthDate],
      ...(input.dependants ?? []).map(
        (d, i) => [`dependants.${i}.birthDate`, d.birthDate] as [string, string | undefined],
      ),
    ];
  }

  /**
   * Dates that need "today" in TZ_SERVICE (class-validator has already checked their form): none
   * in the future, none before EARLIEST_DATE.
   */
  private checkDates(dates: [string, string | undefined][]): void {
    const today = DateTime.fromJSDate(this.clock.now(), {
      zone: this.config.time.zone,
    }).toISODate();
    const errors: FieldError[] = [];
    const check = (field: string, date: string | undefined): void => {
      if (date === undefined || date === null) {
        return;
      }
      if (today !== null && date > today) {
        errors.push({ field, message: `${field} must not be in the future` });
      } else if (date < EARLIEST_DATE) {
        errors.push({ field, message: `${field} must not be before ${EARLIEST_DATE}` });
      }
    };
    dates.forEach(([field, date]) => check(field, date));
    if (errors.length > 0) {
      throw new DomainError('VALIDATION_FAILED', 'Validation failed', errors);
    }
  }

  /** The typed reason: null once erased; text written before it was encrypted reads as is. */
  private statusReason(r: ReferralRecord, reader: CaseReader): string | null {
    return r.erasedAt !== null || r.statusReason === null ? null : reader.text(r.statusReason);
  }

  private referrerView(r: ReferralRecord, reader: CaseReader): ReferrerReferralDto {
    return {
      id: r.id,
      externalReference: r.externalReference,
      status: r.status,
      erased: r.erasedAt !== null,
      // Free text staff typed can name a house, so a referrer reads it never (referral.types).
      statusReason: referrerStatusReason(r, () => this.statusReason(r, reader)),
      admittedAt: r.admittedAt,
      exitedAt: r.exitedAt,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }

  private async staffViews(records: ReferralRecord[]): Promise<ReferralDto[]> {
    if (records.length === 0) {
      return [];
    }
    const ids = records.map((r) => r.id);
    const [people, prior, reader] = await Promise.all([
      this.referrals.findPeople(ids),
      this.referrals.findPriorReferralsBySameDocument(ids),
      this.caseCipher.reader(ids),
    ]);
    const stays = await this.referrals.findStaysOfReferrals([...new Set(prior.map((p) => p.id))]);

    const personIds = new Map<string, string[]>();
    for (const person of people) {
      const list = personIds.get(person.referralId) ?? [];
      list[person.position] = person.id;
      personIds.set(person.referralId, list);
    }
    const priorByReferral = new Map<string, PriorReferralDto[]>();
    for (const p of prior) {
      const list = priorByReferral.get(p.laterReferralId) ?? [];
      list.push({
        id: p.id,
        status: p.status,
        createdAt: p.createdAt,
        admittedAt: p.admittedAt,
        exitedAt: p.exitedAt,
        stays: stays
          .filter((s) => s.referralId === p.id)
          .map((s) => ({
            id: s.id,
            houseId: s.houseId,
            status: s.status,
            admittedAt: s.admittedAt,
            exitedAt: s.exitedAt,
          })),
      });
      priorByReferral.set(p.laterReferralId, list);
    }

    return records.map((r) => {
      const data =
        r.erasedAt === null ? reader.decryptJson<ReferralPersonalData>(r.personalData) : null;
      const ids = personIds.get(r.id) ?? [];
      return {
        ...this.referrerView(r, reader),
        // Staff read what was typed, and the code (a rejection without one is the default).
        statusReason: this.statusReason(r, reader),
        statusReasonCode: r.status === 'rejected' ? (r.statusReasonCode ?? 'other') : null,
        referrerId: r.referrerId,
        protectionOrder:
          r.protectionOrder &&
          protectionOrderView((stored) => reader.text(stored), r.protectionOrder, data === null),
        provisional: r.provisional && {
          reason: data ? reader.text(r.provisional.reasonCiphertext) : null,
          orderAttachedAt: r.provisional.orderAttachedAt,
        },
        woman: data ? { personId: ids[0], ...data.woman } : erasedWoman(ids[0]),
        dependants: data
          ? data.dependants.map((d, i) => ({ personId: ids[i + 1], ...d }))
          : ids.slice(1).map(erasedDependant),
        riskLevel: r.riskLevel,
        needs: { wheelchairAccessible: r.wheelchairAccessible },
        notes: data ? data.notes : null,
        familySize: r.familySize,
        priorReferrals: priorByReferral.get(r.id) ?? [],
      };
    });
  }

  private async recordReads(actor: Actor, referralIds: string[]): Promise<void> {
    await this.audit.recordMany(
      actor,
      referralIds.map((id) => ({
        action: 'referral.read',
        resourceType: 'referral',
        resourceId: id,
      })),
    );
  }
}
