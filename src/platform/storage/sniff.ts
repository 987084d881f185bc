import { fileTypeFromBuffer } from 'file-type';

/** A file's type as its bytes tell it: the usual extension and the media type. */
export interface SniffedType {
  ext: string;
  mime: string;
}

/**
 * The type of a file from its magic bytes (the `file-type` package: images, PDF, Office Open XML,
 * EPUB, audio and video, archives …), whatever the file is called; null when the bytes match no
 * known type (plain text, HTML and scripts among them).
 */
export async function sniffType(bytes: Uint8Array): Promise<SniffedType | null> {
  if (bytes.byteLength === 0) return null;
  const found = await fileTypeFromBuffer(bytes);
  return found ? { ext: found.ext, mime: found.mime } : null;
}

/** The sniffed type when it is one of `allowed` (by extension), else null. */
export async function sniffAllowed<E extends string>(bytes: Uint8Array, allowed: readonly E[]): Promise<E | null> {
  const found = await sniffType(bytes);
  return found && (allowed as readonly string[]).includes(found.ext) ? (found.ext as E) : null;
}
