import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runPrepared, statement } from '../database/prepared';
import { PlannedFollowUp } from '../follow-ups/follow-up-schedule';
import { EgressReason } from './stays.types';

/** What `stays_egress` answers: `exited`, or why it refused before writing anything. */
export type EgressOutcome = 'exited' | 'stay_not_found' | 'before_last_move' | 'not_active';

export interface NewEgress {
  stayId: string;
  /** A coordinator's house: another house's stay is refused as a missing one. */
  houseScope: string | null;
  exitedAt: Date;
  now: Date;
  reason: EgressReason;
  destinationCiphertext: string | null;
  notesCiphertext: string | null;
  followUps: PlannedFollowUp[];
  actor: { id: string; role: string; requestId: string };
}

const EGRESS = statement(
  'egress-exit',
  `SELECT outcome, beds_freed AS "bedsFreed"
   FROM stays_egress($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
);

/**
 * Egreso in one call of `stays_egress` (see its migration): the stay exited, its intervals
 * closed, the referral exited, the term alerts cancelled, the follow-ups and the audit event.
 */
@Injectable()
export class EgressRepository {
  constructor(private readonly dataSource: DataSource) {}

  async exit(egress: NewEgress): Promise<{ outcome: EgressOutcome; bedsFreed: number }> {
    const [result] = await runPrepared<{ outcome: EgressOutcome; bedsFreed: number }>(
      this.dataSource,
      EGRESS,
      [
        egress.stayId,
        egress.houseScope,
        egress.exitedAt,
        egress.now,
        egress.reason,
        egress.destinationCiphertext,
        egress.notesCiphertext,
        egress.followUps.map((f) => f.sequence),
        egress.followUps.map((f) => f.offset),
        egress.followUps.map((f) => f.dueAt),
        egress.actor.id,
        egress.actor.role,
        egress.actor.requestId,
      ],
    );
    return result;
  }
}
