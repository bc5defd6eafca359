import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { runUpdate } from '../database/updates';

/** Egreso: the stay closed with its reason (the ledger's intervals close in StayRepository). */
@Injectable()
export class EgressRepository {
  /** Conditional on the status: of two racing egresses exactly one changes the stay. */
  async markExited(
    manager: EntityManager,
    stayId: string,
    egress: {
      exitedAt: Date;
      reason: string;
      destinationCiphertext: string | null;
      notesCiphertext: string | null;
      exitedBy: string;
      now: Date;
    },
  ): Promise<boolean> {
    const { count: updated } = await runUpdate(
      manager,
      `UPDATE stays SET status = 'exited', exited_at = $2, egress_reason = $3,
              egress_destination = $4, egress_notes = $5, exited_by = $6, updated_at = $7
       WHERE id = $1 AND status = 'active'`,
      [
        stayId,
        egress.exitedAt,
        egress.reason,
        egress.destinationCiphertext,
        egress.notesCiphertext,
        egress.exitedBy,
        egress.now,
      ],
    );
    return updated === 1;
  }
}
