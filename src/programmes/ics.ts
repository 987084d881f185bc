import type { CalendarEntry, MarkerDay } from './calendar.js';

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

function utc(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Folds a content line at 75 octets, never inside a UTF-8 sequence (§3.1). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    while (end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74;
  }
  return parts.join('\r\n ');
}

export interface Feed {
  name: string;
  host: string;
  baseUrl: string;
  entries: CalendarEntry[];
  markers?: MarkerDay[];
  now?: Date;
}

/** An iCalendar document of sessions (times in UTC) and marker days (all-day). */
export function icalendar(feed: Feed): string {
  const stamp = utc(feed.now ?? new Date());
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//suotdoi//programmes//VI',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(feed.name)}`,
    'X-WR-TIMEZONE:Asia/Ho_Chi_Minh',
  ];
  for (const e of feed.entries) {
    const place = [e.venue, e.institutionName].filter(Boolean).join(', ');
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.sessionId}@${feed.host}`,
      `DTSTAMP:${stamp}`,
      `LAST-MODIFIED:${utc(e.updatedAt)}`,
      `DTSTART:${utc(e.startsAt)}`,
      `DTEND:${utc(e.endsAt)}`,
      `SUMMARY:${text(e.title)}`,
      ...(place ? [`LOCATION:${text(place)}`] : []),
      ...(e.description ? [`DESCRIPTION:${text(e.description.slice(0, 2000))}`] : []),
      `URL:${feed.baseUrl}/programmes/${e.programmeId}`,
      `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
      'END:VEVENT',
    );
  }
  for (const m of feed.markers ?? []) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:marker-${m.marker.id}-${m.date}@${feed.host}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${m.date.replace(/-/g, '')}`,
      `SUMMARY:${text(m.marker.title)}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
