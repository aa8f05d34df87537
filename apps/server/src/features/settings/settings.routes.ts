import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Competitor,
  CreateCompetitorBody,
  CreateCustomFieldBody,
  CreatePicklistValueBody,
  CustomField,
  CustomFieldEntity,
  Id,
  PicklistKind,
  PicklistValue,
  UpdateCompetitorBody,
  UpdateCustomFieldBody,
  UpdatePicklistValueBody,
} from '@funnel/contracts';
import { actorOf } from '../../http/request-context';
import type { SettingsService } from './settings.service';

const IdParams = z.object({ id: Id });

export const settingsRoutes: FastifyPluginAsyncZod<{ settings: SettingsService }> = async (
  app,
  { settings },
) => {
  app.get(
    '/picklists',
    {
      schema: {
        tags: ['settings'],
        summary:
          'Value lists: sources, industries, regions, product lines, loss and postpone reasons',
        querystring: z.object({ kind: PicklistKind.optional() }),
        response: { 200: z.array(PicklistValue) },
      },
    },
    async (request) => settings.listPicklist(actorOf(request), request.query.kind),
  );
  app.post(
    '/picklists',
    {
      schema: {
        tags: ['settings'],
        summary: 'Add a value (admin)',
        body: CreatePicklistValueBody,
        response: { 201: PicklistValue },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return settings.createPicklistValue(actorOf(request), request.body);
    },
  );
  app.get(
    '/picklists/:id',
    {
      schema: {
        tags: ['settings'],
        summary: 'One value of a list',
        params: IdParams,
        response: { 200: PicklistValue },
      },
    },
    async (request) => settings.getPicklistValue(actorOf(request), request.params.id),
  );
  app.patch(
    '/picklists/:id',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change or deactivate a value (admin)',
        params: IdParams,
        body: UpdatePicklistValueBody,
        response: { 200: PicklistValue },
      },
    },
    async (request) =>
      settings.updatePicklistValue(actorOf(request), request.params.id, request.body),
  );
  app.get(
    '/custom-fields',
    {
      schema: {
        tags: ['settings'],
        summary: 'Custom field definitions',
        querystring: z.object({ entity: CustomFieldEntity.optional() }),
        response: { 200: z.array(CustomField) },
      },
    },
    async (request) => settings.listCustomFields(actorOf(request), request.query.entity),
  );
  app.post(
    '/custom-fields',
    {
      schema: {
        tags: ['settings'],
        summary: 'Define a custom field (admin)',
        body: CreateCustomFieldBody,
        response: { 201: CustomField },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return settings.createCustomField(actorOf(request), request.body);
    },
  );
  app.get(
    '/custom-fields/:id',
    {
      schema: {
        tags: ['settings'],
        summary: 'One custom field definition',
        params: IdParams,
        response: { 200: CustomField },
      },
    },
    async (request) => settings.getCustomField(actorOf(request), request.params.id),
  );
  app.patch(
    '/custom-fields/:id',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change a custom field (admin)',
        params: IdParams,
        body: UpdateCustomFieldBody,
        response: { 200: CustomField },
      },
    },
    async (request) =>
      settings.updateCustomField(actorOf(request), request.params.id, request.body),
  );
  app.get(
    '/competitors',
    {
      schema: {
        tags: ['settings'],
        summary: 'Competitors',
        response: { 200: z.array(Competitor) },
      },
    },
    async (request) => settings.listCompetitors(actorOf(request)),
  );
  app.post(
    '/competitors',
    {
      schema: {
        tags: ['settings'],
        summary: 'Add a competitor',
        body: CreateCompetitorBody,
        response: { 201: Competitor },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return settings.createCompetitor(actorOf(request), request.body);
    },
  );
  app.get(
    '/competitors/:id',
    {
      schema: {
        tags: ['settings'],
        summary: 'One competitor',
        params: IdParams,
        response: { 200: Competitor },
      },
    },
    async (request) => settings.getCompetitor(actorOf(request), request.params.id),
  );
  app.patch(
    '/competitors/:id',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change a competitor (manager and above)',
        params: IdParams,
        body: UpdateCompetitorBody,
        response: { 200: Competitor },
      },
    },
    async (request) => settings.updateCompetitor(actorOf(request), request.params.id, request.body),
  );
};
