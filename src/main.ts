import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { buildApp, prepareDatabase } from './app.js';
import { demoLogins, DEMO_PASSWORD, seedDemo } from './demo.js';
import { importInstitutions, importUnits, type ImportReport } from './orgs/index.js';
import { exportMarc, importMarcFile, refreshSearchIndex, warmSearchIndex } from './catalogue/index.js';
import { generateAnnualReport, sendReportingReminders } from './monitoring/index.js';
import { sendDueReminders } from './programmes/index.js';
import { systemActor } from './platform/access.js';
import { backup, restore, RestoreError } from './platform/backup.js';
import { terminalProgress } from './platform/cli/progress.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { openDatabase, redact, type Database, type Db } from './platform/db/index.js';
import { DataDirLockedError } from './platform/db/lock.js';
import { DomainError } from './platform/errors.js';
import { translator } from './platform/i18n/index.js';
import { drainOutbox, fileTransport, smtpTransport, type Transport } from './platform/outbox/index.js';

const usage = `suotdoi — lifelong-learning platform

Usage: suotdoi <command> [options]

Commands:
  serve                               run the web server (migrates, loads demo data on first start)
  migrate                             apply database migrations
  seed                                load the demo data (once)
  import units FILE [--format json|csv]      load administrative units (JSON as in the unit fixtures, or CSV)
  import institutions FILE            load institutions from CSV (all or nothing)
  import marc FILE --library CODE [--encoding utf8|marc8|tcvn3|vni]
                                      load MARC records (ISO 2709 or MARCXML) into the union catalogue
  export marc FILE [--library CODE] [--format iso2709|marcxml]
                                      write a library's or the whole catalogue
  report annual --year Y --unit CODE --format docx|xlsx [--out FILE]
                                      the yearly report of a unit (86 = the province) from approved data
  backup FILE                         write the whole state to FILE (gzip'd JSON lines)
  restore FILE [--force]              replace the whole state with FILE

Configuration comes from the environment (see docs/operations.md): DATABASE_URL, DATA_DIR, PORT, …`;

function transportFor(config: Config): Transport {
  return config.SMTP_URL ? smtpTransport(config.SMTP_URL, config.MAIL_FROM) : fileTransport(`${config.dataDir}/outbox`, config.MAIL_FROM);
}

async function open(config: Config, holder: 'server' | 'cli'): Promise<Database> {
  return openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.dataDir, lock: holder });
}

async function serve(config: Config): Promise<void> {
  const started = performance.now();
  const database = await open(config, 'server');
  await database.migrate();
  await prepareDatabase(database);
  const seeded = config.DEMO_DATA ? await seedDemo(database) : false;
  const transport = transportFor(config);
  const app = await buildApp({ config, database, transport });
  await app.listen({ port: config.PORT, host: config.HOST });
  warmSearchIndex(database.db).catch((err: unknown) => app.log.error({ err }, 'building the catalogue search index'));
  const ms = Math.round(performance.now() - started);
  const where = config.DATABASE_URL ? `PostgreSQL ${redact(config.DATABASE_URL)}` : `embedded database in ${config.dataDir}`;
  console.log(`\nsuotdoi is running at ${config.publicUrl} (${where}; ready in ${ms} ms)`);
  if (config.DEMO_DATA) {
    console.log(`${seeded ? 'Demo data loaded.' : 'Demo data present.'} Demo logins (password "${DEMO_PASSWORD}"):`);
    for (const l of demoLogins) console.log(`  ${l.role.padEnd(13)} ${l.email}`);
  }
  if (!config.SMTP_URL) console.log(`Outgoing mail is written to ${config.dataDir}/outbox (set SMTP_URL to send it).`);

  // Background work, each job on its own clock so a slow one never holds up the others (mail
  // above all): send what the outbox holds, queue due reminders (reporting ones hourly), and bring
  // the catalogue's search index up to date with other processes' writes, and (embedded database)
  // vacuum and analyze what changed and let the write-ahead log be recycled.
  const jobs = [
    every(2_000, () => drainOutbox(database.db, transport)),
    every(3_000, () => sendDueReminders(database.db, new Date())),
    every(3_600_000, () => database.db.transaction((tx) => sendReportingReminders(tx as unknown as Db, new Date()))),
    every(3_000, () => refreshSearchIndex(database.db)),
    every(300_000, () => database.maintain()),
  ].map((job) => job((err) => app.log.error({ err }, 'background work')));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: shutting down`);
    for (const stopJob of jobs) stopJob();
    try {
      await app.close();
    } finally {
      await database.close();
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** A job run now and then every `ms`, never overlapping itself; returns a function that stops it. */
function every(ms: number, work: () => Promise<unknown>) {
  return (onError: (err: unknown) => void) => {
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      work().catch(onError).finally(() => { running = false; });
    };
    const timer = setInterval(tick, ms);
    tick();
    return () => clearInterval(timer);
  };
}

function printReport(kind: string, report: ImportReport): void {
  const t = translator('vi');
  console.log(`${kind}: ${report.created} created, ${report.updated} updated${'successions' in report ? `, ${report.successions} successions` : ''}`);
  if (report.errors.length) {
    console.error(`${report.errors.length} error(s); nothing was imported:`);
    for (const e of report.errors) console.error(`  ${e.row ? `row ${e.row}: ` : ''}${e.field}: ${t(e.key, e.params)}`);
  }
}

async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const database = await open(config, 'cli');
  try {
    await database.migrate();
    await prepareDatabase(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

const encodings = ['utf8', 'marc8', 'tcvn3', 'vni'] as const;

/** Records in a file, for the progress bar: record terminators in ISO 2709, record elements in MARCXML. */
async function countMarcRecords(file: string): Promise<number> {
  let terminators = 0;
  let elements = 0;
  let tail = '';
  for await (const chunk of fs.createReadStream(file)) {
    const bytes = chunk as Buffer;
    for (let i = bytes.indexOf(0x1d); i !== -1; i = bytes.indexOf(0x1d, i + 1)) terminators++;
    const text = tail + bytes.toString('latin1');
    elements += text.match(/<(\w+:)?record[\s>]/g)?.length ?? 0;
    tail = text.slice(-16);
  }
  return terminators || elements;
}

async function importMarc(config: Config, file: string | undefined, library: string | undefined, encoding: string | undefined): Promise<number> {
  if (!file || !library || (encoding !== undefined && !(encodings as readonly string[]).includes(encoding))) {
    console.error('Usage: suotdoi import marc FILE --library CODE [--encoding utf8|marc8|tcvn3|vni]');
    return 2;
  }
  if (!fs.existsSync(file)) {
    console.error(`No such file: ${file}`);
    return 2;
  }
  return withDatabase(config, async (db) => {
    const progress = terminalProgress();
    progress.start(await countMarcRecords(file), 'import');
    let shown = 0;
    const report = await importMarcFile(db.db, systemActor, {
      path: file, libraryCode: library, ...(encoding ? { encoding: encoding as (typeof encodings)[number] } : {}),
      onProgress: (p) => { progress.tick(p.records - shown); shown = p.records; },
    });
    progress.stop();
    console.log(`${report.records} records read: ${report.added} added, ${report.merged} merged into existing records, ${report.unchanged} unchanged, ${report.rejected} rejected; ${report.itemsAdded} items added, ${report.holdings} holdings records attached; ${report.warnings} warnings.`);
    for (const p of report.problems) console.error(`  ${p.severity ?? 'error'}: record ${p.recordNumber}${p.offset !== null ? ` (byte ${p.offset})` : ''}: ${p.message}`);
    return report.rejected > 0 ? 1 : 0;
  });
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      format: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      year: { type: 'string' }, unit: { type: 'string' }, out: { type: 'string' },
      library: { type: 'string' }, encoding: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || values.help || command === 'help') {
    console.log(usage);
    return command || values.help ? 0 : 1;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      await serve(config);
      return -1;
    case 'migrate':
      await withDatabase(config, async () => { console.log('Migrations applied.'); });
      return 0;
    case 'seed':
      return withDatabase(config, async (db) => {
        console.log((await seedDemo(db)) ? 'Demo data loaded.' : 'Demo data was already loaded.');
        return 0;
      });
    case 'import': {
      const [what, file] = rest;
      if (what === 'marc') return importMarc(config, file, values.library, values.encoding);
      if (!file || (what !== 'units' && what !== 'institutions')) {
        console.error('Usage: suotdoi import units|institutions FILE');
        return 2;
      }
      const text = fs.readFileSync(file, 'utf8');
      return withDatabase(config, async (db) => {
        const report = what === 'units'
          ? await importUnits(db.db, systemActor, { format: values.format === 'csv' || (!values.format && /\.csv$/i.test(file)) ? 'csv' : 'json', text, fileName: file })
          : await importInstitutions(db.db, systemActor, text);
        printReport(what, report);
        return report.errors.length ? 1 : 0;
      });
    }
    case 'export': {
      const [what, file] = rest;
      const format = values.format ?? (file && /\.xml$/i.test(file) ? 'marcxml' : 'iso2709');
      if (what !== 'marc' || !file || (format !== 'iso2709' && format !== 'marcxml')) {
        console.error('Usage: suotdoi export marc FILE [--library CODE] [--format iso2709|marcxml]');
        return 2;
      }
      return withDatabase(config, async (db) => {
        const out = fs.createWriteStream(file);
        const result = await exportMarc(db.db, { format, out, ...(values.library ? { libraryCode: values.library } : {}) });
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        console.log(`${result.records} records written to ${file}.`);
        for (const s of result.skipped) console.error(`  skipped ${s.id}: ${s.reason}`);
        return result.skipped.length ? 1 : 0;
      });
    }
    case 'report': {
      const year = Number(values.year);
      const format = values.format;
      if (rest[0] !== 'annual' || !Number.isInteger(year) || year < 2000 || year > 2100 || !values.unit || (format !== 'docx' && format !== 'xlsx')) {
        console.error('Usage: suotdoi report annual --year 2026 --unit 86 --format docx|xlsx [--out FILE]');
        return 2;
      }
      const out = values.out ?? `bao-cao-${values.unit}-${year}.${format}`;
      return withDatabase(config, async (db) => {
        const progress = terminalProgress();
        let shown = -1;
        const buffer = await generateAnnualReport(db.db, systemActor, {
          year, unitCode: values.unit ?? '', format,
          onProgress: (done, total) => {
            if (shown < 0) { progress.start(total, 'report'); shown = 0; }
            progress.tick(done - shown);
            shown = done;
          },
        });
        progress.stop();
        fs.writeFileSync(out, buffer);
        console.log(`Report written to ${out} (${buffer.length} bytes).`);
        return 0;
      });
    }
    case 'backup': {
      const file = rest[0];
      if (!file) { console.error('Usage: suotdoi backup FILE'); return 2; }
      return withDatabase(config, async (db) => {
        const header = await backup(db, file, terminalProgress());
        const rows = header.tables.reduce((a, t) => a + t.rows, 0);
        console.log(`Backup written to ${file}: ${header.tables.length} tables, ${rows} rows, ${fs.statSync(file).size} bytes.`);
        return 0;
      });
    }
    case 'restore': {
      const file = rest[0];
      if (!file || !fs.existsSync(file)) { console.error(`Usage: suotdoi restore FILE [--force]${file ? ` (no such file: ${file})` : ''}`); return 2; }
      return withDatabase(config, async (db) => {
        const header = await restore(db, file, { force: Boolean(values.force), progress: terminalProgress() });
        console.log(`Restored ${header.tables.reduce((a, t) => a + t.rows, 0)} rows from a backup made ${header.createdAt} (${header.source}).`);
        return 0;
      });
    }
    default:
      console.error(`Unknown command: ${command}\n\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  if (code >= 0) process.exitCode = code;
}, (err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof RestoreError) {
    console.error(err.message);
  } else if (err instanceof DomainError) {
    const t = translator('vi');
    console.error(t(err.key, err.params));
    for (const i of err.issues) console.error(`  ${i.row ? `row ${i.row}: ` : ''}${i.field}: ${t(i.key, i.params)}`);
  } else if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`${err.message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  } else {
    console.error(err);
  }
  process.exitCode = 1;
});
