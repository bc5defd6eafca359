import { Actor } from '../../src/common/actor';
import { CreateReferralDto } from '../../src/referrals/dto/create-referral.dto';
import { ReferralsService } from '../../src/referrals/referrals.service';
import { ReferralBody, referralBody } from '../factories/referrals';
import { useServiceContext } from '../helpers/service-context';

describe('Referral intake (service)', () => {
  const ctx = useServiceContext();
  let referrals: ReferralsService;
  let staff: Actor;

  beforeAll(async () => {
    referrals = ctx.get(ReferralsService);
    staff = await ctx.adminActor();
  });

  const intake = (body: ReferralBody, key?: string) =>
    referrals.create(staff, body as unknown as CreateReferralDto, key);

  it('records one referral when ten intakes race with the same Idempotency-Key', async () => {
    const body = referralBody();
    const results = await Promise.all(Array.from({ length: 10 }, () => intake(body, 'race-1')));

    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.receipt.id)).size).toBe(1);
    const [{ count }] = await ctx.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM referrals WHERE external_reference = $1',
      [body.externalReference],
    );
    expect(count).toBe(1);
  });

  it('records one referral when ten intakes race with the same external reference', async () => {
    const body = referralBody();
    const results = await Promise.all(Array.from({ length: 10 }, () => intake(body)));

    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.receipt.id)).size).toBe(1);
  });

  it('refuses a different body under a live Idempotency-Key', async () => {
    await intake(referralBody(), 'reused-key');

    await expect(intake(referralBody(), 'reused-key')).rejects.toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
    });
  });
});
