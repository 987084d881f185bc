import type { FastifyRequest } from 'fastify';
import { issue, ValidationError } from '../../platform/errors.js';

export interface Upload {
  fileName: string;
  text: string;
}

/** The one file of a multipart form, as UTF-8 text; a missing, empty or non-UTF-8 file is a field error. */
export async function readUpload(req: FastifyRequest): Promise<Upload> {
  if (!req.isMultipart()) throw new ValidationError([issue('file', 'orgs.import.noFile')]);
  for await (const part of req.parts()) {
    if (part.type !== 'file') continue;
    const bytes = await part.toBuffer();
    if (bytes.length === 0) throw new ValidationError([issue('file', 'orgs.import.noFile')]);
    try {
      return { fileName: part.filename, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      throw new ValidationError([issue('file', 'orgs.import.notUtf8')]);
    }
  }
  throw new ValidationError([issue('file', 'orgs.import.noFile')]);
}

/** JSON or CSV, by the file's extension, else by its first character. */
export function formatOf(upload: Upload): 'json' | 'csv' {
  const ext = upload.fileName.toLowerCase().split('.').pop();
  if (ext === 'json') return 'json';
  if (ext === 'csv') return 'csv';
  return /^\uFEFF?\s*[[{]/.test(upload.text) ? 'json' : 'csv';
}
