/** Sends an export as a download whose body is written while it is sent (never held whole). */
import { PassThrough, type Writable } from 'node:stream';
import type { FastifyReply } from 'fastify';

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Everything that can fail on the request (validation, access, the report itself) must have
 * happened before this is called: once the body streams, the status is 200 and a failure can
 * only cut the download short.
 */
export function sendExport(
  reply: FastifyReply,
  format: 'xlsx' | 'csv',
  file: string,
  write: (out: Writable) => Promise<unknown>,
) {
  const body = new PassThrough();
  void write(body).catch((error: Error) => body.destroy(error));
  return reply
    .type(CONTENT_TYPES[format])
    .header('content-disposition', `attachment; filename="${file}.${format}"`)
    .send(body);
}
