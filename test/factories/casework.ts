import { grantFollowUpContact, TestApp } from '../helpers/test-app';
import { createReferral } from './referrals';

export interface AdmittedFamily {
  stayId: string;
  houseId: string;
  /** Person ids, the woman's first. */
  people: string[];
  admittedAt: string;
}

/** A family admitted through the real API (`POST /stays`), by an officer, a few days ago. */
export async function admitFamily(
  t: TestApp,
  houseId: string,
  { dependants = 1, daysAgo = 10 }: { dependants?: number; daysAgo?: number } = {},
): Promise<AdmittedFamily> {
  const referral = await createReferral(t, { dependants });
  const admittedAt = new Date(Date.now() - daysAgo * 24 * 60 * 60 * 1000).toISOString();
  const response = await t
    .http()
    .post('/api/v1/stays')
    .set('Authorization', `Bearer ${await t.adminToken()}`)
    .send({ referralId: referral.id, houseId, admittedAt })
    .expect(201);
  return {
    stayId: (response.body as { id: string }).id,
    houseId,
    people: referral.people,
    admittedAt,
  };
}

/**
 * Egress through the real API, at `exitedAt` (default now), after her consent to follow-up
 * contact (without it egress schedules no follow-up).
 */
export async function exitFamily(t: TestApp, stayId: string, exitedAt?: string): Promise<void> {
  await grantFollowUpContact(t.baseUrl, await t.adminToken(), stayId);
  await t
    .http()
    .post(`/api/v1/stays/${stayId}/egress`)
    .set('Authorization', `Bearer ${await t.adminToken()}`)
    .send({ reason: 'voluntary', ...(exitedAt ? { exitedAt } : {}) })
    .expect(200);
}
