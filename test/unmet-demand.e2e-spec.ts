import { localDate } from '../src/common/local-day';
import { createReferral } from './factories/referrals';
import { useTestApp } from './helpers/test-app';

/** Every 409 NO_CAPACITY for a referral is unmet demand, on record once per referral and day. */
describe('Unmet demand', () => {
  const t = useTestApp();

  const rows = (referralId: string) =>
    t.dataSource.query<{ local_day: string }[]>(
      `SELECT to_char(local_day, 'YYYY-MM-DD') AS local_day FROM unmet_demand WHERE referral_id = $1`,
      [referralId],
    );

  it('records parallel NO_CAPACITY answers for one referral on one day as one row, from POST /stays and POST /holds', async () => {
    // Seeded houses have 7 accessible beds: a wheelchair user's family of 8 fits nowhere.
    const family = await createReferral(t, { dependants: 7, wheelchairAccessible: true });
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t
          .as(t.officer)
          .post(i % 2 === 0 ? '/api/v1/stays' : '/api/v1/holds')
          .send({ referralId: family.id }),
      ),
    );
    expect(responses.map((r) => [r.status, r.body.code])).toEqual(
      responses.map(() => [409, 'NO_CAPACITY']),
    );
    expect(await rows(family.id)).toEqual([
      { local_day: localDate(new Date(), t.config.time.zone) },
    ]);
  });

  it('records a hold refused for lack of room even when no admission was tried', async () => {
    const family = await createReferral(t, { dependants: 7, wheelchairAccessible: true });
    await t.as(t.officer).post('/api/v1/holds').send({ referralId: family.id }).expect(409);
    expect(await rows(family.id)).toHaveLength(1);
  });

  it('records a refusal by a named house too, and nothing for an admission or another refusal', async () => {
    const [house] = await t.houses();
    const family = await createReferral(t, { dependants: 7, wheelchairAccessible: true });
    await t
      .as(t.officer)
      .post('/api/v1/stays')
      .send({ referralId: family.id, houseId: house.id })
      .expect(409);
    expect(await rows(family.id)).toHaveLength(1);

    const admitted = await t.admit({});
    expect(await rows(admitted.referralId)).toEqual([]);
    const withdrawn = await createReferral(t, { status: 'withdrawn' });
    await t.as(t.officer).post('/api/v1/stays').send({ referralId: withdrawn.id }).expect(409);
    expect(await rows(withdrawn.id)).toEqual([]);
  });
});
