import { useTestApp } from './helpers/test-app';

describe('Houses, rooms and beds', () => {
  const t = useTestApp();

  it('seeds 5 houses of 42 beds in several family rooms', async () => {
    const response = await t.as(t.admin).get('/api/v1/houses').expect(200);
    expect(response.body.map((h: { code: string }) => h.code)).toEqual([
      'CR-1',
      'CR-2',
      'CR-3',
      'CR-4',
      'CR-5',
    ]);
    for (const house of response.body) {
      expect(house).toEqual({
        id: expect.any(String),
        code: house.code,
        name: expect.any(String),
        capacity: 42,
        active: true,
      });
      const rooms = await t.as(t.admin).get(`/api/v1/houses/${house.id}/rooms`).expect(200);
      const sizes = rooms.body.map((r: { beds: unknown[] }) => r.beds.length);
      expect(sizes.reduce((a: number, b: number) => a + b, 0)).toBe(42);
      expect(sizes.length).toBeGreaterThanOrEqual(8);
      expect(
        rooms.body.some((r: { wheelchairAccessible: boolean }) => r.wheelchairAccessible),
      ).toBe(true);
      expect(rooms.body[0].beds[0]).toEqual({
        id: expect.any(String),
        label: '1A',
        inService: true,
        occupantId: null,
      });
    }
  });

  it('shows a coordinator only its own house, and 404 for any other', async () => {
    const [own, other] = await t.houses();
    const coordinator = await t.tokenFor('house_coordinator', own.id);
    const list = await t.as(coordinator).get('/api/v1/houses').expect(200);
    expect(list.body.map((h: { id: string }) => h.id)).toEqual([own.id]);
    await t.as(coordinator).get(`/api/v1/houses/${own.id}/rooms`).expect(200);
    const denied = await t.as(coordinator).get(`/api/v1/houses/${other.id}/rooms`).expect(404);
    const missing = await t
      .as(coordinator)
      .get('/api/v1/houses/00000000-0000-4000-8000-000000000000/rooms')
      .expect(404);
    expect(denied.body).toEqual(missing.body);
    await t.as(coordinator).get(`/api/v1/occupancy?houseId=${other.id}`).expect(404);
  });

  it('lets an admin add a house and a room with numbered beds', async () => {
    const house = await t
      .as(t.admin)
      .post('/api/v1/houses')
      .send({ code: 'CR-9', name: 'Casa Refugio 9' })
      .expect(201);
    expect(house.body).toMatchObject({ code: 'CR-9', capacity: 0, active: true });
    const room = await t
      .as(t.admin)
      .post(`/api/v1/houses/${house.body.id}/rooms`)
      .send({ name: 'Habitación 1', beds: 3, wheelchairAccessible: true })
      .expect(201);
    expect(room.body.beds.map((b: { label: string }) => b.label)).toEqual(['1A', '1B', '1C']);
    await t.as(t.admin).post('/api/v1/houses').send({ code: 'CR-9', name: 'Otra' }).expect(409);
    const officer = await t.tokenFor('admission_officer');
    await t
      .as(officer)
      .post('/api/v1/houses')
      .send({ code: 'CR-10', name: 'Casa Refugio 10' })
      .expect(403);
  });

  it('takes a bed out of service and back, with a reason each way kept in history', async () => {
    const [house] = await t.houses();
    const rooms = await t.rooms(house.id);
    const bedId = rooms[1].beds[0].id;
    const patchBed = (body: object, caller = t.admin) =>
      t.as(caller).patch(`/api/v1/beds/${bedId}`).send(body);
    const out = await patchBed({ inService: false, reason: 'Colchón dañado' }).expect(200);
    expect(out.body).toMatchObject({ id: bedId, inService: false });
    const back = await patchBed({ inService: true, reason: 'Colchón nuevo' }).expect(200);
    expect(back.body.serviceHistory).toEqual([
      {
        from: expect.any(String),
        to: expect.any(String),
        reasonOut: 'Colchón dañado',
        reasonBack: 'Colchón nuevo',
      },
    ]);
    const noReason = await patchBed({ inService: false, reason: '   ' }).expect(400);
    expect(noReason.body.errors).toEqual([
      { field: 'reason', message: 'reason must not be blank' },
    ]);
    const coordinator = await t.tokenFor('house_coordinator', house.id);
    await patchBed({ inService: false, reason: 'x' }, coordinator).expect(403);
  });
});
