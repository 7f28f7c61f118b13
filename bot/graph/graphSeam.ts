import type { Client } from '@microsoft/microsoft-graph-client';
import type { TokenProvider } from '../auth/tokenProvider';
import { allDefinitions, createDefinition, findDefinitionsByName, getDefinition, listDefinitions } from './accessReviews';
import type { GraphApis } from './apis';
import { definitionsFrom, instancesOf } from './definitionPages';
import { scanInstances } from './decisionScan';
import { contactedReviewers, decisionsAt, instancesPage, scanDecisions, userNames } from './reviewReads';
import { readDecisionsPage, readInstancesPage } from './exportReads';
import { countDecisions, deleteDefinition, getInstance, instanceAction, listInstances, updateDefinition } from './reviewActions';
import {
  countGroupOwners, countGroupUsers, countGuests, findUsersByEmail, getGroup, getGroupNames, getMe, isInGroup, myDirectoryRoles, searchGroups,
} from './directory';
import type { GraphClientFactory } from './graphClient';
import {
  acceptRecommendations, allMyItems, myDefinitions, myInstances, myItemCounts, myItems, recordDecisions,
} from './reviewerDecisions';

/** The interfaces over a client made per call (each call fetches its token: msal's cache answers, or SignInRequired). */
export function graphApisOver(client: () => Promise<Client>): GraphApis {
  return {
    reviews: {
      listDefinitions: async (filter, top, groupId) => listDefinitions(await client(), filter, top, groupId),
      findDefinitionsByName: async (name, scope) => findDefinitionsByName(await client(), name, scope),
      createDefinition: async (body) => createDefinition(await client(), body),
      getDefinition: async (id) => getDefinition(await client(), id),
      allDefinitions: async (maxPages) => allDefinitions(await client(), maxPages),
      definitionsFrom: async (filter, size, groupId, from) => definitionsFrom(await client(), filter, size, groupId, from),
      instancesOf: async (ids) => instancesOf(await client(), ids),
      instancesPage: async (definitionId) => instancesPage(await client(), definitionId),
      contactedReviewers: async (definitionId, instanceId) => contactedReviewers(await client(), definitionId, instanceId),
      scanDecisions: async (definitionId, instanceId, options, onPage) => scanDecisions(await client(), definitionId, instanceId, options, onPage),
      decisionsAt: async (definitionId, instanceId, options) => decisionsAt(await client(), definitionId, instanceId, options),
      scanInstances: async (instances, options, onPage) => {
        const scan = await scanInstances(await client(), instances, options, onPage);
        return { batches: scan.batches, failed: scan.failures, truncated: scan.truncated };
      },
      readInstancesPage: async (definitionId, link) => readInstancesPage(await client(), definitionId, link),
      readDecisionsPage: async (definitionId, instanceId, link) => readDecisionsPage(await client(), definitionId, instanceId, link),
      reviewInstances: async (definitionId) => listInstances(await client(), definitionId),
      reviewInstance: async (definitionId, instanceId) => getInstance(await client(), definitionId, instanceId),
      countInstanceDecisions: async (definitionId, instanceId, decision) => countDecisions(await client(), definitionId, instanceId, decision),
      instanceAction: async (definitionId, instanceId, action) => instanceAction(await client(), definitionId, instanceId, action),
      deleteDefinition: async (definitionId) => deleteDefinition(await client(), definitionId),
      updateDefinition: async (definitionId, body) => updateDefinition(await client(), definitionId, body),
    },
    directory: {
      me: async () => getMe(await client()),
      groupNames: async (ids) => getGroupNames(await client(), ids),
      userNames: async (ids) => userNames(await client(), ids),
      searchGroups: async (text, top) => searchGroups(await client(), text, top),
      getGroup: async (id) => getGroup(await client(), id),
      countGroupUsers: async (groupId, guestsOnly) => countGroupUsers(await client(), groupId, guestsOnly),
      countGroupOwners: async (groupId) => countGroupOwners(await client(), groupId),
      isInGroup: async (groupId, userId) => isInGroup(await client(), groupId, userId),
      countGuests: async () => countGuests(await client()),
      findUsersByEmail: async (emails) => findUsersByEmail(await client(), emails),
      myDirectoryRoles: async () => myDirectoryRoles(await client()),
    },
    reviewer: {
      myDefinitions: async (maxPages) => myDefinitions(await client(), maxPages),
      myInstances: async (ids) => myInstances(await client(), ids),
      myItemCounts: async (instances) => myItemCounts(await client(), instances),
      myItems: async (definitionId, instanceId, options) => myItems(await client(), definitionId, instanceId, options),
      allMyItems: async (definitionId, instanceId, maxItems) => allMyItems(await client(), definitionId, instanceId, maxItems),
      recordDecisions: async (definitionId, instanceId, choices) => recordDecisions(await client(), definitionId, instanceId, choices),
      acceptRecommendations: async (definitionId, instanceId) => acceptRecommendations(await client(), definitionId, instanceId),
    },
  };
}

/**
 * Graph for one identity, built once in app.ts. `forUser` acts with that user's delegated token (OBO): what a
 * command may do is what its sender may do. `forApp` acts with the bot's own client credentials and is for
 * scheduled work only (digests): no user command holds it (test/bot/graph/appIdentity.test.ts checks).
 */
export class GraphSeam {
  constructor(private readonly tokens: Pick<TokenProvider, 'userToken' | 'appToken'>, private readonly clients: Pick<GraphClientFactory, 'forToken'>) {}

  /** Graph as `userId`; every call throws AppError('SignInRequired') while that user has no token. */
  forUser(userId: string): GraphApis {
    return graphApisOver(async () => this.clients.forToken(await this.tokens.userToken(userId)));
  }

  /** Graph as the bot itself (client credentials): scheduled work only, never a user's command. */
  forApp(): GraphApis {
    return graphApisOver(async () => this.clients.forToken(await this.tokens.appToken()));
  }
}
