import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { FollowUpsService } from '../../src/follow-ups/follow-ups.service';
import {
  FOLLOW_UPS_QUEUE,
  FollowUpJob,
  followUpJobId,
} from '../../src/follow-ups/follow-ups.queue';
import {
  createStay,
  followUpsOfStay,
  scheduleEgress,
  StayFixture,
} from '../factories/follow-up-fixtures';
import { waitFor } from '../helpers/processes';
import { useServiceContext } from '../helpers/service-context';

// FOLLOW_UP_SCHEDULE is PT4S,PT9S in every test (test/helpers/test-env.ts).
describe('Follow-up after egress: the queue makes each one due once', () => {
  const t = useServiceContext();
  let followUps: FollowUpsService;
  let queue: Queue;
  let houses: { id: string; code: string }[];

  beforeAll(async () => {
    followUps = t.get(FollowUpsService);
    queue = t.get<Queue>(getQueueToken(FOLLOW_UPS_QUEUE));
    houses = await t.dataSource.query('SELECT id, code FROM houses ORDER BY code');
  });

  const exitedStay = (houseIndex = 0, exitedAt = new Date(), documentIndex?: string) =>
    createStay(t.dataSource, { houseId: houses[houseIndex].id, exitedAt, documentIndex });

  /** A stay whose follow-ups are all due already (exited long ago), settled by the worker. */
  async function dueStay(houseIndex = 0): Promise<StayFixture> {
    const stay = await exitedStay(houseIndex, new Date(Date.now() - 60_000));
    await scheduleEgress(t.dataSource, followUps, stay);
    await waitFor(
      async () => (await followUpsOfStay(t.dataSource, stay.id)).every((f) => f.status === 'due'),
      { what: 'follow-ups due' },
    );
    return stay;
  }

  it('falls due at each offset after egress, not before, with exactly one reminder each', async () => {
    const stay = await exitedStay();
    await scheduleEgress(t.dataSource, followUps, stay);

    const scheduled = await followUpsOfStay(t.dataSource, stay.id);
    expect(scheduled.map((f) => [f.sequence, f.status, f.dueAt.getTime()])).toEqual([
      [1, 'scheduled', (stay.exitedAt as Date).getTime() + 4000],
      [2, 'scheduled', (stay.exitedAt as Date).getTime() + 9000],
    ]);

    const firstDue = await waitFor(
      async () => {
        const rows = await followUpsOfStay(t.dataSource, stay.id);
        return rows[0].status === 'due' ? rows : undefined;
      },
      { timeoutMs: 20000, what: 'the first follow-up due' },
    );
    // The second is four seconds away: still scheduled when the first falls due.
    expect(firstDue[1].status).toBe('scheduled');

    const rows = await waitFor(
      async () => {
        const all = await followUpsOfStay(t.dataSource, stay.id);
        return all.every((f) => f.status === 'due') ? all : undefined;
      },
      { timeoutMs: 20000, what: 'both follow-ups due' },
    );
    for (const row of rows) {
      expect(row.reminders).toBe(1);
      expect((row.becameDueAt as Date).getTime()).toBeGreaterThanOrEqual(row.dueAt.getTime());
    }
    const reminders = await t.dataSource.query(
      `SELECT kind, house_id AS "houseId" FROM reminders WHERE stay_id = $1`,
      [stay.id],
    );
    expect(reminders).toEqual([
      { kind: 'follow_up_due', houseId: stay.houseId },
      { kind: 'follow_up_due', houseId: stay.houseId },
    ]);
  });

  it('records one reminder when the same follow-up is processed by several jobs at once', async () => {
    const stay = await exitedStay(1, new Date(Date.now() - 60_000));
    // Committed without enqueueing, as after a crash; then three deliveries race the relay's.
    await scheduleEgress(t.dataSource, followUps, stay, { enqueue: false });
    const [first] = await followUpsOfStay(t.dataSource, stay.id);
    await queue.addBulk(
      ['a', 'b', 'c'].map((copy) => ({
        name: FollowUpJob.FollowUpDue,
        data: { followUpId: first.id },
        opts: { jobId: `duplicate-${copy}-${first.id}` },
      })),
    );
    followUps.enqueueSoon();
    await waitFor(
      async () => (await followUpsOfStay(t.dataSource, stay.id)).every((f) => f.status === 'due'),
      { what: 'follow-ups due' },
    );
    await waitFor(
      async () =>
        (
          await Promise.all(
            ['a', 'b', 'c'].map((c) => queue.getJobState(`duplicate-${c}-${first.id}`)),
          )
        ).every((state) => state === 'completed'),
      { what: 'the duplicate jobs done' },
    );
    const rows = await followUpsOfStay(t.dataSource, stay.id);
    expect(rows.map((f) => f.reminders)).toEqual([1, 1]);
    const audit = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'follow_up.became_due' AND resource_id = $1`,
      [first.id],
    );
    expect(audit[0].n).toBe(1);
  });

  it('puts a job that fires before its due time back to sleep until then', async () => {
    const stay = await exitedStay(1);
    await scheduleEgress(t.dataSource, followUps, stay, { enqueue: false });
    const [, second] = await followUpsOfStay(t.dataSource, stay.id);
    await queue.add(
      FollowUpJob.FollowUpDue,
      { followUpId: second.id },
      { jobId: `early-${second.id}` },
    );
    await waitFor(async () => (await queue.getJobState(`early-${second.id}`)) === 'delayed', {
      what: 'the early job delayed again',
    });
    expect((await followUpsOfStay(t.dataSource, stay.id))[1].status).toBe('scheduled');
    await waitFor(async () => (await followUpsOfStay(t.dataSource, stay.id))[1].status === 'due', {
      timeoutMs: 20000,
      what: 'the second follow-up due',
    });
    const [, after] = await followUpsOfStay(t.dataSource, stay.id);
    expect((after.becameDueAt as Date).getTime()).toBeGreaterThanOrEqual(after.dueAt.getTime());
    expect(after.reminders).toBe(1);
  });

  it('fails a job whose follow-up does not exist at once, without retries, and keeps it visible', async () => {
    const missing = '00000000-0000-4000-8000-000000000001';
    await queue.add(
      FollowUpJob.FollowUpDue,
      { followUpId: missing },
      { jobId: followUpJobId(missing), attempts: 5, removeOnFail: false },
    );
    await waitFor(async () => (await queue.getJobState(followUpJobId(missing))) === 'failed', {
      what: 'the job failed',
    });
    const job = await queue.getJob(followUpJobId(missing));
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toBe('Follow-up no longer exists');
  });

  it('cancels the pending follow-ups of a woman admitted again, matched by her document', async () => {
    const document = `doc-${Date.now()}`;
    const earlier = await dueStay(0);
    const sameWoman = await exitedStay(0, new Date(), document);
    const otherWoman = await exitedStay(0, new Date(), `other-${document}`);
    await t.dataSource.query(`UPDATE referrals SET document_index = $1 WHERE id = $2`, [
      document,
      earlier.referralId,
    ]);
    await scheduleEgress(t.dataSource, followUps, sameWoman);
    await scheduleEgress(t.dataSource, followUps, otherWoman);
    // Her new referral (a different one, same document) is admitted:
    const newReferral = await createStay(t.dataSource, {
      houseId: houses[2].id,
      documentIndex: document,
    });
    await t.dataSource.transaction((manager) =>
      followUps.cancelPendingForReadmission(manager, newReferral.referralId),
    );
    const statuses = async (stayId: string) =>
      (await followUpsOfStay(t.dataSource, stayId)).map((f) => f.status);
    expect(await statuses(earlier.id)).toEqual(['cancelled', 'cancelled']);
    expect(await statuses(sameWoman.id)).toEqual(['cancelled', 'cancelled']);
    expect(await statuses(otherWoman.id)).toEqual(['scheduled', 'scheduled']);
    // The jobs of cancelled follow-ups fire and change nothing.
    await waitFor(async () => (await statuses(otherWoman.id)).every((s) => s === 'due'), {
      timeoutMs: 20000,
      what: 'the other woman follow-ups due',
    });
    expect(await statuses(sameWoman.id)).toEqual(['cancelled', 'cancelled']);
    const reminders = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM reminders WHERE stay_id = $1`,
      [sameWoman.id],
    );
    expect(reminders[0].n).toBe(0);
  });
});
