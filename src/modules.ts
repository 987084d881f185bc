import { catalogueModule } from './catalogue/index.js';
import { monitoringModule } from './monitoring/index.js';
import { orgsModule } from './orgs/index.js';
import { programmesModule } from './programmes/index.js';
import type { ModuleManifest } from './platform/module.js';
import { platformModule } from './platform/manifest.js';

/**
 * The modules the application is built from, in the order their routes are registered. The
 * platform comes first; monitoring's app-wide plugin (digital visit counts) sees every page.
 */
export const modules: readonly ModuleManifest[] = [platformModule, orgsModule, programmesModule, monitoringModule, catalogueModule];
