import { DataSource } from 'typeorm';

/**
 * Moves a transport hold's whole life into the past: it was taken `minutes` minutes ago and
 * ended a second ago, in the hold and in its beds' ledger intervals alike.
 */
export async function lapseHold(
  dataSource: DataSource,
  holdId: string,
  minutes: number,
): Promise<void> {
  await dataSource.query(
    `UPDATE holds SET held_at = now() - make_interval(mins => $2), expires_at = now() - interval '1 second'
     WHERE id = $1`,
    [holdId, minutes],
  );
  await dataSource.query(
    `UPDATE stay_occupants
     SET during = tstzrange(now() - make_interval(mins => $2), now() - interval '1 second', '[)')
     WHERE hold_id = $1`,
    [holdId, minutes],
  );
}
