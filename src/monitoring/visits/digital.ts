import { createHash, randomBytes } from 'node:crypto';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { withTransaction, type Db } from '../../platform/db/index.js';
import { placementOf } from '../indicators/compute.js';
import { vnToday } from '../../platform/time.js';
import { Placement } from '../network.js';
import { monitoringVisits } from '../schema.js';
import { refreshVisitRollups } from './visits.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Stores the digital visits counted since the last flush; answers how many sessions were stored. */
    flushDigitalVisits(): Promise<number>;
  }
}

/** How often the counts are written to the visits table: the dashboard is at most this far behind. */
export const FLUSH_EVERY_MS = 60_000;
/** Distinct sessions remembered per day; beyond this the day's count stops growing rather than memory. */
export const MAX_SESSIONS_PER_DAY = 200_000;
/** Sessions of the public catalogue not tied to one library's holdings count for the provincial library. */
export const PROVINCIAL = 'provincial';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The public catalogue pages: search and a record with its MARC and Dublin Core views. */
const PUBLIC_PAGE = /^\/catalogue(\/records\/[0-9a-f-]{36}(\/marc|\/dc)?)?\/?$/i;
const ROBOT = /bot|crawl|spider|slurp|preview|fetch|curl|wget|python|java\/|headless|httpclient|monitor|scan/i;

export interface DigitalCount {
  day: string;
  /** An institution id, or PROVINCIAL. */
  target: string;
  sessions: number;
}

/**
 * Counts distinct catalogue sessions per day without keeping anything personal: a session is a
 * (client address, user agent) pair seen that day, remembered only as a hash salted with a
 * random value that lives in memory for the day and is replaced at midnight (Vietnam time). No
 * address, agent or hash is ever written anywhere; only the number of sessions per day is.
 */
export class DigitalVisitCounter {
  private day = '';
  private salt = randomBytes(32);
  private seen = new Set<string>();
  private pending = new Map<string, DigitalCount>();

  constructor(private readonly today: () => string = () => vnToday()) {}

  /** Notes one page view; answers whether it opened a new session for that target today. */
  count(target: string, address: string, userAgent: string): boolean {
    const day = this.today();
    if (day !== this.day) {
      this.day = day;
      this.salt = randomBytes(32);
      this.seen = new Set();
    }
    if (this.seen.size >= MAX_SESSIONS_PER_DAY) return false;
    const hash = createHash('sha256').update(this.salt).update(`${target}\n${address}\n${userAgent}`).digest('base64url');
    if (this.seen.has(hash)) return false;
    this.seen.add(hash);
    const key = `${day}|${target}`;
    const entry = this.pending.get(key) ?? { day, target, sessions: 0 };
    entry.sessions++;
    this.pending.set(key, entry);
    return true;
  }

  /** Hands over the counts not stored yet. */
  take(): DigitalCount[] {
    const out = [...this.pending.values()];
    this.pending = new Map();
    return out;
  }

  /** Puts counts back after a failed write, so the next flush tries them again. */
  restore(counts: DigitalCount[]): void {
    for (const c of counts) {
      const key = `${c.day}|${c.target}`;
      const entry = this.pending.get(key) ?? { ...c, sessions: 0 };
      entry.sessions += c.sessions;
      this.pending.set(key, entry);
    }
  }
}

/** Which institution a catalogue page view counts for: the library the search is limited to, else the provincial library. */
export function targetOf(req: FastifyRequest): string | null {
  if (req.method !== 'GET') return null;
  const [path = '', search = ''] = req.url.split('?', 2);
  if (!PUBLIC_PAGE.test(path)) return null;
  const library = new URLSearchParams(search).get('library') ?? '';
  return UUID.test(library) ? library.toLowerCase() : PROVINCIAL;
}

function isRobot(userAgent: string): boolean {
  return userAgent === '' || ROBOT.test(userAgent);
}

/** The provincial library open on the day, the first by code when there are several. */
function provincialLibrary(placement: Placement, day: string): string | undefined {
  return placement.network.institutions
    .filter((i) => i.type === 'library_provincial' && Placement.openOn(i, day))
    .sort((a, b) => a.code.localeCompare(b.code))[0]?.id;
}

/**
 * Adds counted sessions to the day's digital visits (counted, source "opac") and refreshes the
 * totals, in the caller's transaction. A month for which staff entered a monthly digital count
 * keeps that count alone, so nothing is counted twice. Answers how many sessions were stored.
 */
export async function storeDigitalVisits(db: Db, counts: DigitalCount[]): Promise<number> {
  if (!counts.length) return 0;
  const placement = await placementOf(db);
  const rows = new Map<string, { institutionId: string; day: string; visitors: number }>();
  for (const c of counts) {
    const known = c.target !== PROVINCIAL ? placement.institutions.get(c.target) : undefined;
    const institutionId = known && Placement.openOn(known, c.day) ? known.id : provincialLibrary(placement, c.day);
    if (!institutionId) continue;
    const key = `${institutionId}|${c.day}`;
    const row = rows.get(key) ?? { institutionId, day: c.day, visitors: 0 };
    row.visitors += c.sessions;
    rows.set(key, row);
  }
  if (!rows.size) return 0;
  const list = [...rows.values()];
  // Staff figures win: a month with a monthly digital figure, or a day with one entered by hand, is left alone.
  const entered = await db
    .select({ institutionId: monitoringVisits.institutionId, day: monitoringVisits.day, granularity: monitoringVisits.granularity })
    .from(monitoringVisits)
    .where(
      and(
        inArray(monitoringVisits.institutionId, [...new Set(list.map((r) => r.institutionId))]),
        inArray(monitoringVisits.day, [...new Set(list.flatMap((r) => [r.day, `${r.day.slice(0, 7)}-01`]))]),
        eq(monitoringVisits.channel, 'digital'),
        ne(monitoringVisits.source, 'opac'),
      ),
    );
  const taken = new Set(entered.map((m) => (m.granularity === 'month' ? `${m.institutionId}|${m.day.slice(0, 7)}` : `${m.institutionId}|${m.day}`)));
  const keep = list.filter((r) => !taken.has(`${r.institutionId}|${r.day.slice(0, 7)}`) && !taken.has(`${r.institutionId}|${r.day}`));
  if (!keep.length) return 0;
  await db
    .insert(monitoringVisits)
    .values(
      keep.map((r) => ({
        institutionId: r.institutionId,
        day: r.day,
        granularity: 'day',
        channel: 'digital',
        purpose: 'unknown',
        visitors: r.visitors,
        schoolGroupVisitors: 0,
        method: 'counted',
        source: 'opac',
        createdBy: 'system',
      })),
    )
    .onConflictDoUpdate({
      target: [
        monitoringVisits.institutionId,
        monitoringVisits.day,
        monitoringVisits.granularity,
        monitoringVisits.channel,
        monitoringVisits.purpose,
      ],
      set: { visitors: sql`${monitoringVisits.visitors} + excluded.visitors` },
    });
  await refreshVisitRollups(db, keep);
  return keep.reduce((n, r) => n + r.visitors, 0);
}

/**
 * Counts public catalogue sessions as digital visits: an app-wide response hook notes each
 * successful page view by a browser, and a timer writes the counts every minute (and on close).
 */
export const digitalVisits = fp(
  async (app: FastifyInstance) => {
    const counter = new DigitalVisitCounter();
    const flush = async (): Promise<number> => {
      const counts = counter.take();
      if (!counts.length) return 0;
      try {
        return await withTransaction(app.deps.database.db, (tx) => storeDigitalVisits(tx, counts));
      } catch (err) {
        counter.restore(counts);
        throw err;
      }
    };
    app.decorate('flushDigitalVisits', flush);
    app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
      if (reply.statusCode !== 200) return;
      const target = targetOf(req);
      const userAgent = req.headers['user-agent'] ?? '';
      if (target && !isRobot(userAgent)) counter.count(target, req.ip, userAgent);
    });
    const timer = setInterval(() => {
      flush().catch((err: unknown) => app.log.error({ err }, 'digital visits'));
    }, FLUSH_EVERY_MS);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await flush();
    });
  },
  { name: 'monitoring-digital-visits' },
);
