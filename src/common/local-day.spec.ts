import { localDate, startOfLocalDay } from './local-day';

describe('calendar days in TZ_SERVICE', () => {
  it('reads the Bogotá date of an instant, not the UTC one', () => {
    expect(localDate(new Date('2026-11-01T03:00:00Z'), 'America/Bogota')).toBe('2026-10-31');
  });

  it('starts a day at local midnight', () => {
    expect(startOfLocalDay('2026-11-20', 'America/Bogota').toISOString()).toBe(
      '2026-11-20T05:00:00.000Z',
    );
  });
});
