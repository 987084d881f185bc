/**
 * Keeps each process's in-memory search index (search-index.ts) equal to the database.
 *
 * The index is built from the records table; triggers write the id of every record whose text
 * or items change to catalogue_changes, with the writing transaction's id. Before each search
 * the index reads the change rows of every transaction it may not have seen (transaction id at
 * or above the oldest one still running at its previous look), reloads those records, and so
 * answers with everything committed, on PGlite and on a server with many writers alike.
 * While the index is being built, or when it is far behind (a large import just committed), the
 * caller searches with SQL instead; the index catches up in the background.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, uuidArray, type Db } from '../platform/db/index.js';
import { CatalogueSearchIndex, type Holding, type IndexedRecord } from './search-index.js';

/** A catalogue this small is indexed before the first search returns. */
const BUILD_INLINE_UP_TO = 20_000;
/** At most this many changed records are reloaded while a search waits. */
const CATCH_UP_INLINE_UP_TO = 5_000;
const PAGE = 10_000;
/** Change rows are kept this long; an index that has not looked for half of it is rebuilt. */
const KEEP_CHANGES_MS = 24 * 3600_000;
const PRUNE_EVERY_MS = 10 * 60_000;
const REBUILD_DEAD_SHARE = 0.3;

interface State {
  index: CatalogueSearchIndex | null;
  /** Change rows with a transaction id at or above this may be unseen. */
  low: number;
  /** Change rows already applied (seq → transaction id), among those at or above `low`. */
  applied: Map<number, number>;
  lastLook: number;
  lastPrune: number;
  building: Promise<void> | null;
  catchingUp: Promise<void> | null;
  /** The next look at the change log, queued and not yet started. */
  pendingLook: Promise<boolean> | null;
  queue: Promise<unknown>;
}

const states = new WeakMap<Db, State>();

interface RecordRow {
  id: string;
  title_folded: string;
  author_folded: string;
  subject_folded: string;
  rest_folded: string;
  tone_words: string[];
  isbns: string[];
  material_type: string;
  language: string | null;
  ddc_class: number | null;
  year: number | null;
  sort_key: string;
}

const recordColumns = sql`r.id, r.title_folded, r.author_folded, r.subject_folded, r.rest_folded, r.tone_words, r.isbns,
  r.material_type, r.language, r.ddc_class, r.year, left(r.sort_key, 32) as sort_key`;

function toIndexed(r: RecordRow): IndexedRecord {
  return {
    id: r.id,
    titleFolded: r.title_folded,
    authorFolded: r.author_folded,
    subjectFolded: r.subject_folded,
    restFolded: r.rest_folded,
    toneWords: r.tone_words,
    isbns: r.isbns,
    materialType: r.material_type,
    language: r.language,
    ddcClass: r.ddc_class,
    year: r.year,
    sortKey: r.sort_key,
  };
}

function holdingsByRecord(rows: Array<{ record_id: string; institution_id: string; available: boolean }>): Map<string, Holding[]> {
  const out = new Map<string, Holding[]>();
  for (const h of rows) {
    const list = out.get(h.record_id) ?? [];
    list.push({ institutionId: h.institution_id, available: h.available });
    out.set(h.record_id, list);
  }
  return out;
}

async function oldestRunning(db: Db): Promise<number> {
  const [row] = await rowsOf<{ xmin: string }>(db, sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`);
  return Number(row?.xmin ?? 0);
}

/** Builds a whole index from the database, page by page. */
async function build(db: Db): Promise<{ index: CatalogueSearchIndex; low: number }> {
  const low = await oldestRunning(db);
  const index = new CatalogueSearchIndex();
  let after: string | null = null;
  for (;;) {
    const records: RecordRow[] = await rowsOf<RecordRow>(
      db,
      sql`select ${recordColumns} from catalogue_records r
      ${after ? sql`where r.id > ${after}` : sql``} order by r.id limit ${PAGE}`,
    );
    const first = records[0];
    const last = records[records.length - 1];
    if (!first || !last) break;
    const holdings = holdingsByRecord(
      await rowsOf(
        db,
        sql`select i.record_id, i.institution_id, bool_or(i.status = 'available') as available
      from catalogue_items i where i.record_id >= ${first.id} and i.record_id <= ${last.id} and i.status <> 'withdrawn' group by 1, 2`,
      ),
    );
    for (const r of records) index.put(toIndexed(r), holdings.get(r.id) ?? []);
    after = last.id;
    if (records.length < PAGE) break;
  }
  index.compact();
  return { index, low };
}

/** Reloads the given records into the index (removing the ones that are gone). */
async function reload(db: Db, index: CatalogueSearchIndex, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += PAGE) {
    const chunk = ids.slice(i, i + PAGE);
    const [records, holdingRows] = await Promise.all([
      rowsOf<RecordRow>(db, sql`select ${recordColumns} from catalogue_records r where r.id = any(${uuidArray(chunk)})`),
      rowsOf<{ record_id: string; institution_id: string; available: boolean }>(
        db,
        sql`select i.record_id, i.institution_id,
        bool_or(i.status = 'available') as available from catalogue_items i
        where i.record_id = any(${uuidArray(chunk)}) and i.status <> 'withdrawn' group by 1, 2`,
      ),
    ]);
    const holdings = holdingsByRecord(holdingRows);
    const found = new Set<string>();
    for (const r of records) {
      found.add(r.id);
      index.put(toIndexed(r), holdings.get(r.id) ?? []);
    }
    for (const id of chunk) if (!found.has(id)) index.remove(id);
  }
}

function stateOf(db: Db): State {
  let state = states.get(db);
  if (!state) {
    state = {
      index: null,
      low: 0,
      applied: new Map(),
      lastLook: 0,
      lastPrune: 0,
      building: null,
      catchingUp: null,
      pendingLook: null,
      queue: Promise.resolve(),
    };
    states.set(db, state);
  }
  return state;
}

/** Runs `fn` after every earlier index update of this database. */
function serially<T>(state: State, fn: () => Promise<T>): Promise<T> {
  const run = state.queue.then(fn, fn);
  state.queue = run.catch(() => undefined);
  return run;
}

function startBuild(db: Db, state: State): Promise<void> {
  state.building ??= build(db)
    .then((built) =>
      serially(state, async () => {
        state.index = built.index;
        state.low = built.low;
        state.applied = new Map();
        state.lastLook = Date.now();
      }),
    )
    .finally(() => {
      state.building = null;
    });
  return state.building;
}

/**
 * A look at the change log that starts after this call: searches arriving while one look is
 * waiting its turn share it (it still starts after each of them arrived, so each sees every
 * write committed before it).
 */
function nextLook(db: Db, state: State, index: CatalogueSearchIndex): Promise<boolean> {
  state.pendingLook ??= serially(state, () => {
    state.pendingLook = null;
    return catchUp(db, state, index, CATCH_UP_INLINE_UP_TO);
  });
  return state.pendingLook;
}

/** Applies the changes committed since the last look; false when there are too many to wait for. */
async function catchUp(db: Db, state: State, index: CatalogueSearchIndex, waitUpTo: number): Promise<boolean> {
  const rows = await rowsOf<{ xmin: string; seq: string | null; xid: string | null; record_id: string | null }>(
    db,
    sql`
    select (select pg_snapshot_xmin(pg_current_snapshot())::text) as xmin, c.seq::text as seq, c.xid::text as xid, u.record_id
    from (select 1) one left join (catalogue_changes c cross join unnest(c.record_ids) as u(record_id)) on c.xid >= ${state.low}`,
  );
  const xmin = Number(rows[0]?.xmin ?? 0);
  const fresh = rows.filter((r) => r.seq !== null && !state.applied.has(Number(r.seq)));
  const ids = [...new Set(fresh.map((r) => r.record_id as string))];
  if (ids.length > waitUpTo) {
    state.catchingUp ??= serially(state, () => catchUp(db, state, index, Infinity))
      .then(() => undefined)
      .finally(() => {
        state.catchingUp = null;
      });
    return false;
  }
  await reload(db, index, ids);
  for (const r of fresh) state.applied.set(Number(r.seq), Number(r.xid));
  for (const [seq, xid] of state.applied) if (xid < xmin) state.applied.delete(seq);
  state.low = xmin;
  state.lastLook = Date.now();
  if (state.lastLook - state.lastPrune > PRUNE_EVERY_MS) {
    state.lastPrune = state.lastLook;
    await db.execute(sql`delete from catalogue_changes where at < now() - ${`${KEEP_CHANGES_MS / 1000} seconds`}::interval`);
  }
  return true;
}

async function smallCatalogue(db: Db): Promise<boolean> {
  const rows = await rowsOf<{ small: boolean }>(db, sql`select not exists (select 1 from catalogue_records offset ${BUILD_INLINE_UP_TO}) as small`);
  return rows[0]?.small ?? true;
}

/**
 * The index of this database, current with every committed change, or null while it is being
 * built or catching up with a large change (search with SQL then). Pass the database itself,
 * never a transaction: the index must only see committed data.
 */
export async function currentIndex(db: Db): Promise<CatalogueSearchIndex | null> {
  const state = stateOf(db);
  if (!state.index) {
    const building = startBuild(db, state);
    if (!(await smallCatalogue(db))) return null;
    await building;
  }
  if (state.catchingUp) return null;
  const index = state.index;
  if (!index) return null;
  if (Date.now() - state.lastLook > KEEP_CHANGES_MS / 2) {
    state.index = null;
    void startBuild(db, state);
    return null;
  }
  const current = await nextLook(db, state, index);
  if (index.deadShare > REBUILD_DEAD_SHARE && index.count > BUILD_INLINE_UP_TO) void startBuild(db, state);
  return current ? index : null;
}

/** Starts building the index in the background (the server calls this at start-up). */
export function warmSearchIndex(db: Db): Promise<void> {
  return startBuild(db, stateOf(db));
}

/** Brings the index up to date with what other processes wrote, so that searches need not wait for it. */
export async function refreshSearchIndex(db: Db): Promise<void> {
  if (stateOf(db).index) await currentIndex(db);
}
