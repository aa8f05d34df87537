/** Import and export, built and routed together (one registration in services.ts and app.ts). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../db/database';
import { ExportService } from '../export/export.service';
import { exportRoutes } from '../export/export.routes';
import { ImportService } from './import.service';
import { importRoutes } from './import.routes';
import { ImportMappingService } from './mappings.service';
import { importMappingRoutes } from './mappings.routes';

export function createDataTransfer(deps: { db: Db; clock: () => Date }) {
  return {
    imports: new ImportService(deps),
    exports: new ExportService(deps),
    mappings: new ImportMappingService(deps),
  };
}

export type DataTransfer = ReturnType<typeof createDataTransfer>;

export const dataTransferRoutes: FastifyPluginAsyncZod<{ dataTransfer: DataTransfer }> = async (
  app,
  { dataTransfer },
) => {
  await app.register(importRoutes, { imports: dataTransfer.imports });
  await app.register(exportRoutes, { exports: dataTransfer.exports });
  await app.register(importMappingRoutes, { mappings: dataTransfer.mappings });
};
