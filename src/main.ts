import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { buildApp, prepareDatabase } from './app.js';
import { demoLogins, DEMO_PASSWORD, seedDemo } from './demo.js';
import { importInstitutions, importUnits, type ImportReport } from './orgs/index.js';
import { exportMarc, importMarcFile, refreshSearchIndex, warmSearchIndex } from './catalogue/index.js';
import { adoptLegacyEvidence, generateAnnualReport } from './monitoring/index.js';
import { adoptLegacyImages } from './programmes/index.js';
import { modules } from './modules.js';
import { systemActor } from './platform/access.js';
import { backup, restore, RestoreError } from './platform/backup.js';
import { terminalProgress } from './platform/cli/progress.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { openDatabase, redact, type Database } from './platform/db/index.js';
import { DataDirLockedError } from './platform/db/lock.js';
import { DomainError } from './platform/errors.js';
import { storageFor, sweepFiles } from './platform/storage/index.js';
import type { JobDefinition } from './platform/module.js';
import { translator } from './platform/i18n/index.js';
import { startJobRunner } from './platform/jobs/index.js';
import { fileTransport, mailHandlers, smtpTransport, type Transport } from './platform/outbox/index.js';

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

/** Files kept under uploads/ before the file storage are moved into it, once. */
async function adoptLegacyFiles(database: Database, config: Config): Promise<void> {
  const store = storageFor(config);
  await adoptLegacyEvidence(database.db, store, config.dataDir);
  await adoptLegacyImages(database.db, store, config.dataDir);
}

/** Removes stored files that no row refers to any more (a crash between a delete and its sweep). */
function fileSweep(config: Config): JobDefinition {
  const store = storageFor(config);
  return { name: 'storage.sweep', everyMs: 3_600_000, run: ({ db }) => sweepFiles(db, store) };
}

async function serve(config: Config): Promise<void> {
  const started = performance.now();
  const database = await open(config, 'server');
  await database.migrate();
  await prepareDatabase(database);
  await adoptLegacyFiles(database, config);
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

  // Work shared with any other server on the same database (mail, reminders) goes through the jobs
  // table; each process keeps its own catalogue search index up to date with other processes'
  // writes, and (embedded database) vacuums and analyzes what changed and lets the write-ahead log
  // be recycled, each on its own clock.
  const runner = await startJobRunner({
    db: database.db,
    handlers: mailHandlers(transport),
    recurring: [...modules.flatMap((m) => m.jobs ?? []), fileSweep(config)],
    log: app.log,
  });
  const local = [every(3_000, () => refreshSearchIndex(database.db)), every(300_000, () => database.maintain())].map((job) =>
    job((err) => app.log.error({ err }, 'background work')),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: shutting down`);
    for (const stopJob of local) stopJob();
    try {
      await runner.stop();
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
      work()
        .catch(onError)
        .finally(() => {
          running = false;
        });
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
    await adoptLegacyFiles(database, config);
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
      path: file,
      libraryCode: library,
      ...(encoding ? { encoding: encoding as (typeof encodings)[number] } : {}),
      onProgress: (p) => {
        progress.tick(p.records - shown);
        shown = p.records;
      },
    });
    progress.stop();
    console.log(
      `${report.records} records read: ${report.added} added, ${report.merged} merged into existing records, ${report.unchanged} unchanged, ${report.rejected} rejected; ${report.itemsAdded} items added, ${report.holdings} holdings records attached; ${report.warnings} warnings.`,
    );
    for (const p of report.problems)
      console.error(`  ${p.severity ?? 'error'}: record ${p.recordNumber}${p.offset !== null ? ` (byte ${p.offset})` : ''}: ${p.message}`);
    return report.rejected > 0 ? 1 : 0;
  });
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      year: { type: 'string' },
      unit: { type: 'string' },
      out: { type: 'string' },
      library: { type: 'string' },
      encoding: { type: 'string' },
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
      await withDatabase(config, async () => {
        console.log('Migrations applied.');
      });
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
        const report =
          what === 'units'
            ? await importUnits(db.db, systemActor, {
                format: values.format === 'csv' || (!values.format && /\.csv$/i.test(file)) ? 'csv' : 'json',
                text,
                fileName: file,
              })
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
          year,
          unitCode: values.unit ?? '',
          format,
          onProgress: (done, total) => {
            if (shown < 0) {
              progress.start(total, 'report');
              shown = 0;
            }
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
      if (!file) {
        console.error('Usage: suotdoi backup FILE');
        return 2;
      }
      return withDatabase(config, async (db) => {
        const header = await backup(db, file, { store: storageFor(config), progress: terminalProgress() });
        const rows = header.tables.reduce((a, t) => a + t.rows, 0);
        const files = (header.files?.count ?? 0) - header.missingFiles.length;
        console.log(
          `Backup written to ${file}: ${header.tables.length} tables, ${rows} rows, ${files} stored files, ${fs.statSync(file).size} bytes.`,
        );
        if (header.missingFiles.length === 0) return 0;
        console.error(`${header.missingFiles.length} stored file(s) that rows refer to are missing from the store and are not in the backup:`);
        for (const hash of header.missingFiles) console.error(`  ${hash}`);
        return 1;
      });
    }
    case 'restore': {
      const file = rest[0];
      if (!file || !fs.existsSync(file)) {
        console.error(`Usage: suotdoi restore FILE [--force]${file ? ` (no such file: ${file})` : ''}`);
        return 2;
      }
      return withDatabase(config, async (db) => {
        const header = await restore(db, file, { store: storageFor(config), force: Boolean(values.force), progress: terminalProgress() });
        const files = header.files?.count ?? 0;
        console.log(
          `Restored ${header.tables.reduce((a, t) => a + t.rows, 0)} rows and ${files} stored files from a backup made ${header.createdAt} (${header.source}).`,
        );
        return 0;
      });
    }
    default:
      console.error(`Unknown command: ${command}\n\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
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
  },
);
