// A worker thread does not inherit the TypeScript loader of the thread that starts it: register
// it here, then run the worker.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
