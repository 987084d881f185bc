// `npm run bench [suite …]`: runs the benchmarks (all by default) and prints their figures.
// Each suite measures its peers in the same run and prints ratios; docs/benchmarks.md records them.
import os from 'node:os';
import { benchCatalogue, printCatalogue } from './catalogue/index.js';
import { benchMarcParse } from './marc/parse.js';
import { benchMonitoring, printMonitoring } from './monitoring/index.js';
import { benchStartup, printStartup } from './platform/startup.js';
import { benchProgrammes } from './programmes/index.js';
import { benchWeight, printWeight } from './web/weight.js';

const suites: Record<string, () => Promise<void>> = {
  startup: async () => printStartup(await benchStartup()),
  marc: async () => {
    await benchMarcParse();
  },
  // CATALOGUE_RECORDS=1000000 for the full-size catalogue (100,000 by default).
  catalogue: async () => printCatalogue(await benchCatalogue(Number(process.env.CATALOGUE_RECORDS ?? 100_000))),
  programmes: async () => {
    await benchProgrammes();
  },
  monitoring: async () => printMonitoring(await benchMonitoring()),
  weight: async () => printWeight(await benchWeight()),
};

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(a in suites));
if (unknown.length) {
  console.error(`Unknown suite(s): ${unknown.join(', ')}. Suites: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
console.log(
  `suotdoi benchmarks — ${new Date().toISOString()} — Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
);
console.log(`PostgreSQL: ${process.env.DATABASE_URL ? 'DATABASE_URL is set' : 'not set (server figures skipped where a suite needs it)'}`);
for (const name of asked.length ? asked : Object.keys(suites)) {
  console.log(`\n## ${name}`);
  const started = Date.now();
  await suites[name]?.();
  console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
