import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateImportBody,
  Id,
  ImportJob,
  RawImportQuery,
  RecheckImportBody,
} from '@funnel/contracts';
import { invalid } from '../../http/domain-error';
import { requestLocale } from '../../http/error-handler';
import { actorOf } from '../../http/request-context';
import type { ImportService } from './import.service';

/** Files come as the raw request body (any of these types), streamed to disk, never buffered. */
const FILE_TYPES = [
  'application/octet-stream',
  'text/csv',
  'text/plain',
  'text/tab-separated-values',
  'application/csv',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

const IdParams = z.object({ id: Id });
const FileParams = z.object({ id: Id, name: z.string().min(1).max(300) });

function bodyStream(body: unknown): Readable {
  if (!body || typeof (body as Readable).pipe !== 'function') throw invalid('body', 'required');
  return body as Readable;
}

export const importRoutes: FastifyPluginAsyncZod<{ imports: ImportService }> = async (
  app,
  { imports },
) => {
  app.addContentTypeParser(FILE_TYPES, { bodyLimit: MAX_UPLOAD_BYTES }, (_request, payload, done) =>
    done(null, payload),
  );

  app.post(
    '/imports',
    {
      schema: {
        tags: ['import-export'],
        summary:
          'Start an import of several related files: then PUT each file; the dry run starts when the last one is in',
        body: CreateImportBody,
        response: { 201: ImportJob },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return imports.createJob(actorOf(request), requestLocale(request), request.body);
    },
  );
  app.post(
    '/imports/upload',
    {
      schema: {
        tags: ['import-export'],
        summary:
          'Import one file sent as the raw body (CSV or .xlsx); the dry run starts at once (poll the job)',
        querystring: RawImportQuery,
        response: { 202: ImportJob },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { fileName, ...options } = request.query;
      const job = imports.createJob(actor, requestLocale(request), {
        files: [fileName],
        ...options,
      });
      reply.status(202);
      return imports.addFile(actor, job.id, fileName, bodyStream(request.body));
    },
  );
  app.put(
    '/imports/:id/files/:name',
    {
      schema: {
        tags: ['import-export'],
        summary: 'Upload one announced file of an import (raw body)',
        params: FileParams,
        response: { 200: ImportJob },
      },
    },
    async (request) =>
      imports.addFile(
        actorOf(request),
        request.params.id,
        request.params.name,
        bodyStream(request.body),
      ),
  );
  app.get(
    '/imports/:id',
    {
      schema: {
        tags: ['import-export'],
        summary: 'Status, progress, counts and the first problems of an import',
        params: IdParams,
        response: { 200: ImportJob },
      },
    },
    async (request) => imports.getJob(actorOf(request), request.params.id),
  );
  app.get(
    '/imports/:id/problems',
    {
      schema: {
        tags: ['import-export'],
        summary: 'Every problem of the dry run as a CSV file (row, column, reason)',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const file = imports.problemsFile(actorOf(request), request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="import-problems.csv"')
        .send(createReadStream(file));
    },
  );
  app.post(
    '/imports/:id/check',
    {
      schema: {
        tags: ['import-export'],
        summary:
          'Check the uploaded files again with a new mapping or options (no new upload); poll the job',
        params: IdParams,
        body: RecheckImportBody,
        response: { 202: ImportJob },
      },
    },
    async (request, reply) => {
      reply.status(202);
      return imports.recheck(
        actorOf(request),
        requestLocale(request),
        request.params.id,
        request.body,
      );
    },
  );
  app.post(
    '/imports/:id/commit',
    {
      schema: {
        tags: ['import-export'],
        summary: 'Commit a checked import (all or nothing, in one transaction); poll the job',
        params: IdParams,
        response: { 202: ImportJob },
      },
    },
    async (request, reply) => {
      reply.status(202);
      return imports.startCommit(actorOf(request), request.params.id);
    },
  );
  app.delete(
    '/imports/:id',
    {
      schema: {
        tags: ['import-export'],
        summary: 'Discard an import and its uploaded files',
        params: IdParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      imports.deleteJob(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
