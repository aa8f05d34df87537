import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateTeamBody,
  CreateUserBody,
  Id,
  Member,
  Team,
  UpdateTeamBody,
  UpdateUserBody,
  UserListQuery,
  pageOf,
} from '@funnel/contracts';
import { actorOf } from '../../http/request-context';
import type { PeopleService } from './people.service';

const IdParams = z.object({ id: Id });

export const peopleRoutes: FastifyPluginAsyncZod<{ people: PeopleService }> = async (
  app,
  { people },
) => {
  app.get(
    '/users',
    {
      schema: {
        tags: ['people'],
        summary: 'Members of the workspace',
        querystring: UserListQuery,
        response: { 200: pageOf(Member) },
      },
    },
    async (request) => {
      const { page, pageSize, ...filter } = request.query;
      return people.listMembers(actorOf(request), filter, page, pageSize);
    },
  );
  app.get(
    '/users/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'One member',
        params: IdParams,
        response: { 200: Member },
      },
    },
    async (request) => people.getMember(actorOf(request), request.params.id),
  );
  app.post(
    '/users',
    {
      schema: {
        tags: ['people'],
        summary: 'Add a member (admin)',
        body: CreateUserBody,
        response: { 201: Member },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      reply.status(201);
      return people.createMember(actor, actor.workspaceId, request.body);
    },
  );
  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'Change a member (admin)',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: Member },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return people.updateMember(actor, actor.workspaceId, request.params.id, request.body);
    },
  );
  app.get(
    '/teams',
    {
      schema: {
        tags: ['people'],
        summary: 'Teams (a hierarchy by parentId)',
        response: { 200: z.array(Team) },
      },
    },
    async (request) => people.listTeams(actorOf(request)),
  );
  app.post(
    '/teams',
    {
      schema: {
        tags: ['people'],
        summary: 'Create a team (admin)',
        body: CreateTeamBody,
        response: { 201: Team },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      reply.status(201);
      return people.createTeam(actor, actor.workspaceId, request.body);
    },
  );
  app.get(
    '/teams/:id',
    {
      schema: { tags: ['people'], summary: 'One team', params: IdParams, response: { 200: Team } },
    },
    async (request) => people.getTeam(actorOf(request), request.params.id),
  );
  app.patch(
    '/teams/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'Rename or move a team (admin)',
        params: IdParams,
        body: UpdateTeamBody,
        response: { 200: Team },
      },
    },
    async (request) => people.updateTeam(actorOf(request), request.params.id, request.body),
  );
};
