import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Account,
  AccountListQuery,
  AccountMatch,
  Contact,
  ContactListQuery,
  CreateAccountBody,
  CreateContactBody,
  DuplicateQuery,
  Id,
  UpdateAccountBody,
  UpdateContactBody,
  pageOf,
} from '@funnel/contracts';
import { actorOf } from '../../http/request-context';
import type { AccountService } from './accounts.service';

const IdParams = z.object({ id: Id });

export const accountRoutes: FastifyPluginAsyncZod<{ accounts: AccountService }> = async (
  app,
  { accounts },
) => {
  app.get(
    '/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'List accounts (customers)',
        querystring: AccountListQuery,
        response: { 200: pageOf(Account) },
      },
    },
    async (request) => {
      const { page, pageSize, sort, ...filter } = request.query;
      return accounts.list(actorOf(request), filter, sort, page, pageSize);
    },
  );
  app.get(
    '/accounts/duplicates',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Existing accounts with the same or a similar name',
        querystring: DuplicateQuery,
        response: { 200: z.array(AccountMatch) },
      },
    },
    async (request) => accounts.duplicates(actorOf(request), request.query.name),
  );
  app.get(
    '/accounts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'One account',
        params: IdParams,
        response: { 200: Account },
      },
    },
    async (request) => accounts.get(actorOf(request), request.params.id),
  );
  app.post(
    '/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an account (full legal name; duplicates refused)',
        body: CreateAccountBody,
        response: { 201: Account },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return accounts.create(actorOf(request), request.body);
    },
  );
  app.patch(
    '/accounts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Update an account',
        params: IdParams,
        body: UpdateAccountBody,
        response: { 200: Account },
      },
    },
    async (request) => accounts.update(actorOf(request), request.params.id, request.body),
  );
  app.get(
    '/contacts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'List contacts (details masked where you may not see them)',
        querystring: ContactListQuery,
        response: { 200: pageOf(Contact) },
      },
    },
    async (request) => {
      const { page, pageSize, ...filter } = request.query;
      return accounts.listContacts(actorOf(request), filter, page, pageSize);
    },
  );
  app.get(
    '/contacts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'One contact',
        params: IdParams,
        response: { 200: Contact },
      },
    },
    async (request) => accounts.getContact(actorOf(request), request.params.id),
  );
  app.post(
    '/contacts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create a contact',
        body: CreateContactBody,
        response: { 201: Contact },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return accounts.createContact(actorOf(request), request.body);
    },
  );
  app.patch(
    '/contacts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Update a contact',
        params: IdParams,
        body: UpdateContactBody,
        response: { 200: Contact },
      },
    },
    async (request) => accounts.updateContact(actorOf(request), request.params.id, request.body),
  );
};
