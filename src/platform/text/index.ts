/**
 * The project's one Vietnamese text module, used at write time and at query time: store
 * normalizeVi(text), match with foldVi / toneKeyVi / tokensVi, sort by sortKeyVi.
 */
export { foldVi, normalizeVi, plainApostrophes, slugVi, tokensVi, toneKeyVi } from './normalize.js';
export { compareVi, sortKeyVi } from './collate.js';
