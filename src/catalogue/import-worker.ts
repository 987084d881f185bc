/**
 * A worker thread that reads and prepares a large MARC file for the import (import-prepare.ts)
 * while the importing thread writes. It keeps at most two batches ahead of the writer: each batch
 * the writer takes sends a message back for the next.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareBatches, type ImportSource, type PrepareOptions, type PreparedBatch } from './import-prepare.js';

export type WorkerMessage = { type: 'batch'; batch: PreparedBatch } | { type: 'done' } | { type: 'error'; message: string };
export interface WorkerInput {
  source: ImportSource;
  opts: PrepareOptions;
}

const AHEAD = 2;

async function run(port: NonNullable<typeof parentPort>, input: WorkerInput): Promise<void> {
  let credit = AHEAD;
  let more: (() => void) | null = null;
  port.on('message', () => {
    credit++;
    more?.();
  });
  const send = (m: WorkerMessage) => port.postMessage(m);
  try {
    for await (const batch of prepareBatches(input.source, input.opts, false)) {
      while (credit === 0)
        await new Promise<void>((resolve) => {
          more = resolve;
        });
      more = null;
      credit--;
      send({ type: 'batch', batch });
    }
    send({ type: 'done' });
  } catch (err) {
    send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

if (parentPort) await run(parentPort, workerData as WorkerInput);
