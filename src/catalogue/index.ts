/**
 * The catalogue: MARC 21 records of the province's union catalogue, copies held by libraries,
 * Vietnamese search and the public OPAC. Other modules reach it only through what is exported here.
 */
import { h } from 'preact';
import { canSomewhere } from '../platform/access.js';
import type { ModuleManifest } from '../platform/module.js';
import { seedDemoCatalogue } from './demo.js';
import { catalogueEntityNames } from './names.js';
import { catalogueRoutes } from './routes/index.js';
import { CatalogueSearchBox } from './views/opac.js';
import './messages.js';

export const catalogueModule: ModuleManifest = {
  name: 'catalogue',
  routes: catalogueRoutes,
  navigation: [
    { href: '/catalogue', key: 'catalogue.nav.search', order: 20 },
    { href: '/catalogue/import', key: 'catalogue.nav.import', order: 21, visible: (ctx) => canSomewhere(ctx.actor, 'catalogue.write') },
  ],
  home: [{ area: 'lead', order: 10, render: (ctx) => h(CatalogueSearchBox, { ctx }) }],
  entityNames: catalogueEntityNames,
  seed: [{ name: 'demo catalogue', kind: 'demo', order: 20, run: seedDemoCatalogue }],
};

export { importMarc, importMarcFile, undoMerge, type MarcImportReport, type MarcImportOptions, type ImportProblem } from './import.js';
export { exportMarc, type MarcExportOptions, type MarcExportReport } from './export.js';
export { searchCatalogue, type SearchInput, type SearchResult } from './search.js';
export { refreshSearchIndex, warmSearchIndex } from './search-engine.js';
export { toDublinCore, dcElements, type DublinCore } from './dublin-core.js';
export { getRecord, itemsOf } from './service.js';
