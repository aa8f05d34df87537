import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ExportService } from './export.service';

export const exportRoutes: FastifyPluginAsyncZod<{ exports: ExportService }> = async () => {};
