import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

/**
 * Where an export goes: the file given (with a promise for its close, listened to before anything
 * is written, since the writer may close it before it returns) or standard output.
 */
export function openOutput(file: string | undefined): {
  out: Writable;
  closed: Promise<void> | null;
} {
  if (!file) return { out: process.stdout, closed: null };
  const out = createWriteStream(file);
  return { out, closed: new Promise<void>((resolve) => out.once('close', resolve)) };
}
