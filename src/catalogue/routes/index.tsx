import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { catalogueApi } from './api.js';
import { editorRoutes } from './editor.js';
import { exportRoutes } from './export.js';
import { importRoutes } from './import.js';
import { itemRoutes } from './items.js';
import { labelRoutes } from './labels.js';
import { opacRoutes } from './opac.js';
import { recordRoutes } from './records.js';
import '../messages.js';

/** The catalogue's pages and its JSON API under /api/v1/catalogue. */
export const catalogueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(opacRoutes);
  await app.register(recordRoutes);
  await app.register(itemRoutes);
  await app.register(importRoutes);
  await app.register(labelRoutes);
  await app.register(editorRoutes);
  await app.register(exportRoutes);
  await app.register(catalogueApi);
};
