import { Job } from 'bullmq';
import { StaffActor } from '../../src/common/actor';
import { HoldsJob } from '../../src/stays/holds.queue';
import { HoldsService } from '../../src/stays/holds.service';
import { HoldsWorker } from '../../src/stays/holds.worker';
import { lapseHold } from '../factories/holds';
import { createReferral } from '../factories/referrals';
import { waitFor } from '../helpers/processes';
import { useServiceContext } from '../helpers/service-context';

/** The sweep job of transport holds: it records what the ledger's time already did, once. */
describe('Holds sweep', () => {
  const t = useServiceContext();
  let holds: HoldsService;
  let worker: HoldsWorker;
  let admin: StaffActor;
  const sweepJob = { name: HoldsJob.Sweep } as Job;

  beforeAll(async () => {
    holds = t.get(HoldsService);
    worker = t.get(HoldsWorker);
    admin = await t.adminActor();
  });

  const count = async (sql: string, parameters: unknown[]): Promise<number> => {
    const [row] = await t.dataSource.query<{ count: number }[]>(sql, parameters);
    return Number(row.count);
  };
  const alertsOf = (holdId: string) =>
    count(`SELECT count(*) FROM alerts WHERE hold_id = $1 AND kind = 'hold_expiring'`, [holdId]);
  const auditOf = (holdId: string, action: string) =>
    count(`SELECT count(*) FROM audit_events WHERE resource_id = $1 AND action = $2`, [
      holdId,
      action,
    ]);

  it('raises one hold_expiring alert 15 minutes ahead and records one expiry, however often it runs', async () => {
    const referral = await createReferral(t, { dependants: 1 });
    const hold = await holds.hold(admin, { referralId: referral.id, minutes: 10 });
    const later = await holds.hold(admin, {
      referralId: (await createReferral(t)).id,
      minutes: 120,
    });

    await Promise.all([worker.process(sweepJob), worker.process(sweepJob)]);
    await worker.process(sweepJob);
    expect(await alertsOf(hold.id)).toBe(1);
    expect(await auditOf(hold.id, 'hold_alert.sent')).toBe(1);
    // Two hours ahead: not yet.
    expect(await alertsOf(later.id)).toBe(0);
    const [alert] = await t.dataSource.query<{ houseId: string; dueAt: Date }[]>(
      `SELECT house_id AS "houseId", due_at AS "dueAt" FROM alerts WHERE hold_id = $1`,
      [hold.id],
    );
    expect(alert).toEqual({ houseId: hold.houseId, dueAt: hold.expiresAt });

    await lapseHold(t.dataSource, hold.id, 20);
    await Promise.all([worker.process(sweepJob), worker.process(sweepJob)]);
    await worker.process(sweepJob);
    const [row] = await t.dataSource.query<{ status: string; settledAt: Date; expiresAt: Date }[]>(
      `SELECT status, settled_at AS "settledAt", expires_at AS "expiresAt" FROM holds WHERE id = $1`,
      [hold.id],
    );
    expect(row.status).toBe('expired');
    expect(row.settledAt).toEqual(row.expiresAt);
    expect(await auditOf(hold.id, 'hold.expired')).toBe(1);
    expect(await alertsOf(hold.id)).toBe(1);
    expect(await count(`SELECT count(*) FROM stay_occupants WHERE hold_id = $1`, [hold.id])).toBe(
      0,
    );
    // The live one is untouched.
    expect((await holds.find(admin, later.id)).status).toBe('held');
  });

  it('runs as a BullMQ job scheduler in the worker: a lapsed hold is recorded expired without a call', async () => {
    const referral = await createReferral(t);
    const hold = await holds.hold(admin, { referralId: referral.id });
    await lapseHold(t.dataSource, hold.id, 20);
    await waitFor(async () => ((await auditOf(hold.id, 'hold.expired')) === 1 ? true : undefined), {
      timeoutMs: 60_000,
    });
    expect((await holds.find(admin, hold.id)).status).toBe('expired');
  });
});
