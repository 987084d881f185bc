import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vnDate, vnInstant, vnTime } from './model.js';
import { checkRule, expand, MAX_SESSIONS, OPEN_HORIZON_DAYS, scheduleIssues } from './recurrence.js';

const base = { durationMinutes: 90, exdates: [] as string[], openEnded: false };
const dates = (rule: string, start = '2027-01-03', extra: Partial<typeof base> = {}) =>
  expand({ ...base, ...extra, startsAt: vnInstant(start, '09:00'), rrule: rule }, new Date('2026-12-01T00:00:00Z')).map((o) => vnDate(o.startsAt));

describe('recurrence in Asia/Ho_Chi_Minh', () => {
  it('keeps the wall-clock time in Vietnam and the duration', () => {
    const [first] = expand({ ...base, startsAt: vnInstant('2027-01-03', '09:00'), rrule: 'FREQ=WEEKLY;COUNT=2' });
    expect(first?.startsAt.toISOString()).toBe('2027-01-03T02:00:00.000Z');
    expect(vnTime(first!.startsAt)).toBe('09:00');
    expect(first!.endsAt.getTime() - first!.startsAt.getTime()).toBe(90 * 60_000);
  });

  it('every second Sunday: fortnightly from a Sunday', () => {
    expect(dates('FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;COUNT=4')).toEqual(['2027-01-03', '2027-01-17', '2027-01-31', '2027-02-14']);
  });

  it('the second Sunday of each month', () => {
    expect(dates('FREQ=MONTHLY;BYDAY=2SU;COUNT=4', '2027-01-01')).toEqual(['2027-01-10', '2027-02-14', '2027-03-14', '2027-04-11']);
  });

  it('a date-only UNTIL includes that day; a UTC UNTIL is read in Vietnam time', () => {
    expect(dates('FREQ=WEEKLY;UNTIL=20270117')).toEqual(['2027-01-03', '2027-01-10', '2027-01-17']);
    // 02:00Z on the 17th is 09:00 in Vietnam: the session at 09:00 that day is included.
    expect(dates('FREQ=WEEKLY;UNTIL=20270117T020000Z')).toEqual(['2027-01-03', '2027-01-10', '2027-01-17']);
    expect(dates('FREQ=WEEKLY;UNTIL=20270117T015959Z')).toEqual(['2027-01-03', '2027-01-10']);
  });

  it('skips exception dates and still gives COUNT sessions minus the skipped ones', () => {
    expect(dates('FREQ=WEEKLY;COUNT=4', '2027-01-03', { exdates: ['2027-01-10'] })).toEqual(['2027-01-03', '2027-01-17', '2027-01-24']);
  });

  it('refuses a rule that never ends, except for a club within its horizon', () => {
    expect(checkRule('FREQ=WEEKLY', false)).toEqual([{ field: 'rrule', key: 'programmes.errors.rruleNeverEnds' }]);
    expect(checkRule('FREQ=WEEKLY', true)).toEqual([]);
    const club = expand(
      { ...base, openEnded: true, startsAt: vnInstant('2027-01-03', '19:00'), rrule: 'FREQ=WEEKLY' },
      new Date('2027-01-01T00:00:00Z'),
    );
    expect(club.length).toBe(Math.floor(OPEN_HORIZON_DAYS / 7) + 1);
  });

  it('names the field of a bad rule', () => {
    expect(checkRule('FREQ=SOMETIMES', false)[0]?.key).toBe('programmes.errors.rruleInvalid');
    expect(checkRule('NONSENSE=1', false)[0]?.key).toBe('programmes.errors.rruleInvalid');
    expect(checkRule('FREQ=HOURLY;COUNT=3', false)[0]?.key).toBe('programmes.errors.rruleTooFrequent');
    const many = scheduleIssues({ ...base, startsAt: vnInstant('2027-01-03', '09:00'), rrule: `FREQ=DAILY;COUNT=${MAX_SESSIONS + 1}` });
    expect(many[0]).toMatchObject({ field: 'rrule', key: 'programmes.errors.tooManySessions' });
    const none = scheduleIssues({ ...base, startsAt: vnInstant('2027-01-03', '09:00'), rrule: 'FREQ=WEEKLY;UNTIL=20261201' });
    expect(none[0]).toMatchObject({ field: 'rrule', key: 'programmes.errors.noSessions' });
  });

  it('any weekly rule with COUNT gives that many sessions, a week apart, at the same Vietnam time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 800 }),
        (count, interval, hour, offset) => {
          const start = vnInstant(
            new Date(Date.UTC(2026, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10),
            `${String(hour).padStart(2, '0')}:15`,
          );
          const out = expand({ ...base, startsAt: start, rrule: `FREQ=WEEKLY;INTERVAL=${interval};COUNT=${count}` });
          expect(out.length).toBe(count);
          out.forEach((o, i) => {
            expect(o.startsAt.getTime() - start.getTime()).toBe(i * interval * 7 * 86_400_000);
            expect(vnTime(o.startsAt)).toBe(`${String(hour).padStart(2, '0')}:15`);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
