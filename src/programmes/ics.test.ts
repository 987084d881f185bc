import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { CalendarEntry, MarkerDay } from './calendar.js';
import { icalendar } from './ics.js';

const entry: CalendarEntry = {
  sessionId: '5b0c8a4e-8f7d-4c39-9a53-2a8f7a7f0c11',
  programmeId: '1d7c1a8e-1111-4c39-9a53-2a8f7a7f0c11',
  title: 'Câu lạc bộ đọc sách; thiếu nhi, hè 2027',
  kind: 'club',
  institutionId: 'x',
  institutionName: 'Thư viện tỉnh Vĩnh Long',
  venue: 'Phòng đọc thiếu nhi',
  onlineUrl: null,
  description: 'Dòng một\nDòng hai với dấu phẩy, chấm phẩy; và gạch chéo \\ '.repeat(4),
  startsAt: new Date('2027-04-21T02:00:00Z'),
  endsAt: new Date('2027-04-21T03:30:00Z'),
  cancelled: false,
  updatedAt: new Date('2027-04-01T00:00:00Z'),
};

const marker: MarkerDay = {
  date: '2027-04-21',
  marker: {
    id: '9e1f2c3d-0000-4000-8000-000000000001',
    key: 'vn_book_day',
    title: 'Ngày Sách và Văn hóa đọc Việt Nam',
    description: null,
    month: 4,
    day: 21,
    days: 1,
    year: null,
    unitId: null,
    hidden: false,
    createdAt: new Date(),
    updatedAt: new Date(),
  },
};

describe('iCalendar output', () => {
  const text = icalendar({
    name: 'Lịch hoạt động',
    host: 'suotdoi.example',
    baseUrl: 'https://suotdoi.example',
    entries: [entry, { ...entry, sessionId: 'other', cancelled: true }],
    markers: [marker],
    now: new Date('2027-04-10T05:06:07Z'),
  });

  it('parses with an independent parser and carries UID, DTSTAMP and DTSTART', () => {
    const cal = ICAL.Component.fromString(text);
    const events = cal.getAllSubcomponents('vevent');
    expect(events.length).toBe(3);
    const first = events[0]!;
    expect(first.getFirstPropertyValue('uid')).toBe(`${entry.sessionId}@suotdoi.example`);
    expect(String(first.getFirstPropertyValue('dtstamp'))).toBe('2027-04-10T05:06:07Z');
    const start = first.getFirstPropertyValue('dtstart') as ICAL.Time;
    expect(start.toJSDate().toISOString()).toBe('2027-04-21T02:00:00.000Z');
    expect(first.getFirstPropertyValue('summary')).toBe(entry.title);
    expect(first.getFirstPropertyValue('description')).toBe(entry.description);
    expect(first.getFirstPropertyValue('location')).toBe('Phòng đọc thiếu nhi, Thư viện tỉnh Vĩnh Long');
    expect(events[1]!.getFirstPropertyValue('status')).toBe('CANCELLED');
    const day = events[2]!;
    expect(day.getFirstPropertyValue('summary')).toBe(marker.marker.title);
    expect((day.getFirstPropertyValue('dtstart') as ICAL.Time).isDate).toBe(true);
    for (const e of events) for (const p of ['uid', 'dtstamp', 'dtstart']) expect(e.hasProperty(p)).toBe(true);
  });

  it('folds long lines at 75 octets without splitting a Vietnamese letter, with CRLF endings', () => {
    const lines = text.split('\r\n');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text).not.toContain('\uFFFD');
  });

  it('any title and description survive the round trip through an independent parser', () => {
    const vietnamese = fc.constantFrom(
      ...'aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐƯƠ ,;:\\\n'.split(''),
    );
    const text = fc
      .array(fc.oneof(vietnamese, fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 200 })
      .map((parts) => parts.join('').replace(/\r/g, ''));
    fc.assert(
      fc.property(text, text, (title, description) => {
        const out = icalendar({ name: title, host: 'h.example', baseUrl: 'https://h.example', entries: [{ ...entry, title, description }] });
        const event = ICAL.Component.fromString(out).getFirstSubcomponent('vevent')!;
        expect(event.getFirstPropertyValue('summary')).toBe(title);
        if (description) expect(event.getFirstPropertyValue('description')).toBe(description.slice(0, 2000));
        for (const line of out.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      }),
      { numRuns: 200 },
    );
  });
});
