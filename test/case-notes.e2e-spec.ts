import { CaseNotesRepository } from '../src/casework/case-notes.repository';
import { NOTE_MAX_LENGTH } from '../src/casework/casework.types';
import { admitFamily, AdmittedFamily } from './factories/casework';
import { createTestApp, TestApp } from './helpers/test-app';

type Reader =
  | 'author'
  | 'psychologist'
  | 'socialWorker'
  | 'coordinator'
  | 'officer'
  | 'admin'
  | 'otherHousePsychologist';

describe('Case notes: who reads what', () => {
  let t: TestApp;
  let family: AdmittedFamily;
  let disciplineNoteId: string;
  let teamNoteId: string;
  const tokens = {} as Record<Reader, string>;

  const userIdOf = (token: string): string =>
    (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
  const write = (token: string, body: object) =>
    t
      .http()
      .post(`/api/v1/stays/${family.stayId}/notes`)
      .set('Authorization', `Bearer ${token}`)
      .send(body);
  const read = (token: string) =>
    t.http().get(`/api/v1/stays/${family.stayId}/notes`).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await createTestApp();
    const [house1, house2] = await t.houses();
    tokens.admin = await t.adminToken();
    tokens.officer = await t.tokenFor('admission_officer');
    tokens.coordinator = await t.tokenFor('house_coordinator', house1.id);
    tokens.author = await t.tokenFor('team_member', house1.id, 'psychology');
    tokens.psychologist = await t.tokenFor('team_member', house1.id, 'psychology');
    tokens.socialWorker = await t.tokenFor('team_member', house1.id, 'social_work');
    tokens.otherHousePsychologist = await t.tokenFor('team_member', house2.id, 'psychology');
    family = await admitFamily(t, house1.id, { dependants: 1 });
    const discipline = await write(tokens.author, {
      body: 'Relata episodios de pánico nocturno',
      visibility: 'discipline',
      personId: family.people[0],
    }).expect(201);
    expect(discipline.body).toMatchObject({
      stayId: family.stayId,
      personId: family.people[0],
      discipline: 'psychology',
      visibility: 'discipline',
      authorId: userIdOf(tokens.author),
    });
    expect(discipline.body.body).toBeUndefined();
    disciplineNoteId = discipline.body.id;
    teamNoteId = (
      await write(tokens.coordinator, { body: 'Cambio de habitación', visibility: 'team' }).expect(
        201,
      )
    ).body.id;
  });
  afterAll(() => t.close());

  it.each<Reader>(['author', 'psychologist', 'socialWorker', 'coordinator', 'officer', 'admin'])(
    'shows %s only the notes she may read',
    async (reader) => {
      const expected = {
        author: [teamNoteId, disciplineNoteId],
        psychologist: [teamNoteId, disciplineNoteId],
        socialWorker: [teamNoteId],
        coordinator: [teamNoteId],
        officer: [teamNoteId],
        admin: [teamNoteId],
        otherHousePsychologist: [],
      }[reader];
      // The author and her discipline read both; everyone else the team note only.
      const response = await read(tokens[reader]).expect(200);
      expect(response.body.map((n: { id: string }) => n.id)).toEqual(expected);
      const discipline = response.body.find((n: { id: string }) => n.id === disciplineNoteId);
      if (discipline) {
        expect(discipline.body).toBe('Relata episodios de pánico nocturno');
      }
      expect(JSON.stringify(response.body).includes('pánico')).toBe(expected.length === 2);
    },
  );

  it('answers 404 to a team member of another house', async () => {
    await read(tokens.otherHousePsychologist).expect(404);
    await write(tokens.otherHousePsychologist, { body: 'x', visibility: 'team' }).expect(404);
  });

  it('leaves discipline notes in the database for coordinators, officers and admins: the query itself refuses them', async () => {
    const repository = t.app.get(CaseNotesRepository);
    for (const reader of ['coordinator', 'officer', 'admin'] as const) {
      const rows = await repository.findReadable(family.stayId, userIdOf(tokens[reader]), 100);
      expect(rows.map((r) => r.visibility)).toEqual(['team']);
    }
    const rows = await repository.findReadable(family.stayId, userIdOf(tokens.psychologist), 100);
    expect(rows.map((r) => r.visibility).sort()).toEqual(['discipline', 'team']);
  });

  it('writes an audit event for every read of notes, whoever reads', async () => {
    const count = async () =>
      (
        await t.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM audit_events
           WHERE action = 'case_notes.read' AND resource_id = $1`,
          [family.stayId],
        )
      )[0].n;
    const before = await count();
    await read(tokens.coordinator).expect(200);
    await read(tokens.psychologist).expect(200);
    await read(tokens.admin).expect(200);
    expect(await count()).toBe(before + 3);
    const [event] = await t.dataSource.query<{ details: object }[]>(
      `SELECT details FROM audit_events WHERE action = 'case_notes.read' AND resource_id = $1
       ORDER BY id DESC LIMIT 1`,
      [family.stayId],
    );
    expect(JSON.stringify(event.details)).not.toContain('pánico');
  });

  it('takes a note of 20,000 characters, refuses one more with 400, and discipline notes from non-team roles', async () => {
    await write(tokens.psychologist, {
      body: 'a'.repeat(NOTE_MAX_LENGTH),
      visibility: 'team',
    }).expect(201);
    const tooLong = await write(tokens.psychologist, {
      body: 'a'.repeat(NOTE_MAX_LENGTH + 1),
      visibility: 'team',
    }).expect(400);
    expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
    const unknown = await write(tokens.psychologist, { body: 'x', visibility: 'private' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'visibility' })]);
    const coordinator = await write(tokens.coordinator, { body: 'x', visibility: 'discipline' });
    expect(coordinator.status).toBe(400);
    await write(tokens.officer, { body: 'x', visibility: 'team' }).expect(403);
  });

  it('never edits or deletes a note: the table refuses it, and no endpoint offers it', async () => {
    await expect(
      t.dataSource.query(`UPDATE case_notes SET visibility = 'team' WHERE id = $1`, [
        disciplineNoteId,
      ]),
    ).rejects.toThrow(/never edited or deleted/);
    await expect(
      t.dataSource.query(`DELETE FROM case_notes WHERE id = $1`, [teamNoteId]),
    ).rejects.toThrow(/never edited or deleted/);
    await t
      .http()
      .delete(`/api/v1/stays/${family.stayId}/notes/${teamNoteId}`)
      .set('Authorization', `Bearer ${tokens.admin}`)
      .expect(404);
  });
});
