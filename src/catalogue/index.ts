/**
 * The catalogue: MARC 21 records of the province's union catalogue, copies held by libraries,
 * Vietnamese search and the public OPAC. Other modules reach it only through what is exported here.
 */
import './messages.js';

export { catalogueRoutes } from './routes/index.js';
export { importMarc, importMarcFile, undoMerge, type MarcImportReport, type MarcImportOptions, type ImportProblem } from './import.js';
export { exportMarc, type MarcExportOptions, type MarcExportReport } from './export.js';
export { searchCatalogue, type SearchInput, type SearchResult } from './search.js';
export { refreshSearchIndex, warmSearchIndex } from './search-engine.js';
export { toDublinCore, dcElements, type DublinCore } from './dublin-core.js';
export { getRecord, itemsOf } from './service.js';
export { seedDemoCatalogue } from './demo.js';
export { CatalogueSearchBox } from './views/opac.js';
