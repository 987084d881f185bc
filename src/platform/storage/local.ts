import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { checkHash, fanOut, type FileSource, type FileStat, type FileStore } from './store.js';

async function* chunksOf(data: FileSource): AsyncIterable<Uint8Array> {
  if (data instanceof Uint8Array) yield data;
  else yield* data;
}

/**
 * Files in a folder of the local disk: `<root>/ab/cd/<hash>`. A file is written to `<root>/tmp`
 * first, flushed, then renamed into place, so a reader never sees half a file and a crash leaves
 * at most a temporary file behind (removed the next time the store is opened).
 */
export class LocalStore implements FileStore {
  readonly kind = 'local';
  private readonly tmp: string;
  private cleaned: Promise<void> | null = null;

  constructor(readonly root: string) {
    this.tmp = path.join(root, 'tmp');
  }

  private file(hash: string): string {
    return path.join(this.root, fanOut(checkHash(hash)));
  }

  /**
   * Before the first write: temporary files older than a day, left by a process that stopped
   * mid-write, are removed (younger ones may belong to another process sharing the folder).
   */
  private prepare(): Promise<void> {
    this.cleaned ??= (async () => {
      await fs.mkdir(this.tmp, { recursive: true });
      const stale = Date.now() - 86_400_000;
      for (const name of await fs.readdir(this.tmp)) {
        const st = await fs.stat(path.join(this.tmp, name)).catch(missing);
        if (st && st.mtimeMs < stale) await fs.rm(path.join(this.tmp, name), { force: true });
      }
    })();
    return this.cleaned;
  }

  async put(data: FileSource): Promise<FileStat> {
    await this.prepare();
    const temp = path.join(this.tmp, randomBytes(12).toString('hex'));
    const digest = createHash('sha256');
    let size = 0;
    const fh = await fs.open(temp, 'wx');
    try {
      for await (const chunk of chunksOf(data)) {
        digest.update(chunk);
        size += chunk.byteLength;
        await fh.write(chunk);
      }
      await fh.sync();
    } catch (err) {
      await fh.close();
      await fs.rm(temp, { force: true });
      throw err;
    }
    await fh.close();
    const hash = digest.digest('hex');
    const target = this.file(hash);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(temp, target);
    return { hash, size };
  }

  async get(hash: string): Promise<Buffer | null> {
    return fs.readFile(this.file(hash)).catch(missing);
  }

  async stream(hash: string): Promise<Readable | null> {
    const handle = await fs.open(this.file(hash), 'r').catch(missing);
    return handle ? handle.createReadStream() : null;
  }

  async stat(hash: string): Promise<FileStat | null> {
    const st = await fs.stat(this.file(hash)).catch(missing);
    return st ? { hash, size: st.size } : null;
  }

  async exists(hash: string): Promise<boolean> {
    return (await this.stat(hash)) !== null;
  }

  async delete(hash: string): Promise<void> {
    await fs.rm(this.file(hash), { force: true });
  }
}

function missing(err: NodeJS.ErrnoException): null {
  if (err.code === 'ENOENT') return null;
  throw err;
}
