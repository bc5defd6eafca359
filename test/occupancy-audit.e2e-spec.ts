import { useTestApp } from './helpers/test-app';

describe('Occupancy from the beds, and the audit trail', () => {
  const t = useTestApp();

  it('keeps capacity = occupied + free, with beds out of service counted apart', async () => {
    const [house] = await t.houses();
    const rooms = await t.rooms(house.id);
    const beds = [rooms[0].beds[0].id, rooms[0].beds[1].id];
    for (const bedId of beds) {
      await t.takeOutOfService(bedId, 'Humedad en la pared');
    }
    const response = await t.as(t.admin).get('/api/v1/occupancy').expect(200);
    const body = response.body;
    expect(body.totals).toEqual({
      capacity: 208,
      occupied: 0,
      held: 0,
      free: 208,
      outOfService: 2,
    });
    expect(new Date(body.asOf).getTime()).toBeLessThanOrEqual(Date.now());
    const cr1 = body.houses.find((h: { houseId: string }) => h.houseId === house.id);
    expect(cr1).toEqual({
      houseId: house.id,
      code: 'CR-1',
      capacity: 40,
      occupied: 0,
      held: 0,
      free: 40,
      outOfService: 2,
      occupancyRate: 0,
      termEndingWithin14Days: 0,
      overdueStays: 0,
    });
    for (const h of body.houses) {
      expect(h.capacity).toBe(h.occupied + h.held + h.free);
    }
    const one = await t.as(t.admin).get(`/api/v1/occupancy?houseId=${house.id}`).expect(200);
    expect(one.body.houses).toHaveLength(1);
    expect(one.body.totals).toEqual({
      capacity: 40,
      occupied: 0,
      held: 0,
      free: 40,
      outOfService: 2,
    });
  });

  it('writes an audit event for every change, readable by admins only', async () => {
    const [, house] = await t.houses();
    const rooms = await t.rooms(house.id);
    const bedId = rooms[0].beds[0].id;
    const officer = await t.tokenFor('admission_officer');
    await t
      .as(officer)
      .patch(`/api/v1/beds/${bedId}`)
      .set('X-Request-Id', 'audit-trace-0001')
      .send({ inService: false, reason: 'Reparación' })
      .expect(200);
    const audit = await t.as(t.admin).get(`/api/v1/audit?resourceId=${bedId}`).expect(200);
    expect(audit.body).toEqual([
      expect.objectContaining({
        actorId: expect.any(String),
        actorRole: 'admission_officer',
        action: 'bed.taken_out_of_service',
        resourceType: 'bed',
        resourceId: bedId,
        requestId: 'audit-trace-0001',
        details: { houseId: house.id },
      }),
    ]);
    await t.as(officer).get(`/api/v1/audit?resourceId=${bedId}`).expect(403);
    await t.as(t.admin).get('/api/v1/audit').expect(400);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit_events, even for the owner', async () => {
    const count = await t.count('SELECT count(*) FROM audit_events');
    expect(count).toBeGreaterThan(0);
    await expect(t.dataSource.query(`UPDATE audit_events SET action = 'forged'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(t.dataSource.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    expect(await t.count('SELECT count(*) FROM audit_events')).toBe(count);
  });
});
