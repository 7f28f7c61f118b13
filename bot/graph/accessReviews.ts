import type { Client } from '@microsoft/microsoft-graph-client';
import type { DefinitionBody } from '../../reviews/definition';
import { inReviewsList } from '../../reviews/status';
import { AppError } from '../errors';
import { definitionSchema, pageOf, parseAnswer } from './answers';
import type { DefinitionFilter, DefinitionPage, LookupScope, ReviewDefinition } from './apis';
import { toAppError } from './graphErrors';
import { odataFilter, type EncodedFilter } from './odata';
import { relativeGraphPath } from './requests';

export type { DefinitionFilter, DefinitionPage, LookupScope, ReviewDefinition } from './apis';

const DEFINITIONS = '/identityGovernance/accessReviews/definitions';
const definitionPage = pageOf(definitionSchema);
const LIST_FIELDS = ['id', 'displayName', 'status', 'scope', 'instanceEnumerationScope', 'reviewers', 'settings', 'createdBy', 'createdDateTime'];
/** Graph's largest page on these lists. */
const PAGE = 100;
/** Pages a status-filtered list reads at most (500 definitions) before it says "more may follow". */
const STATUS_PAGES = 5;
/** Pages the lost-answer look-up reads at most (1,000 definitions) before it gives up: it never guesses. */
const LOOKUP_PAGES = 10;

type Page = { definitions: ReviewDefinition[]; nextLink: string | undefined };
/** The first page of a list, or Graph's `@odata.nextLink` (followed verbatim, made relative for http hosts). */
type Position = { first: { top: number; select: string[]; filter?: EncodedFilter } } | { link: string };

async function readPage(client: Client, position: Position, what: string): Promise<Page> {
  let request = 'link' in position ? client.api(relativeGraphPath(position.link))
    : client.api(DEFINITIONS).top(position.first.top).select(position.first.select);
  if ('first' in position && position.first.filter !== undefined) request = request.filter(position.first.filter);
  const page = parseAnswer(definitionPage, await request.get(), what);
  return { definitions: page.value, nextLink: page['@odata.nextLink'] };
}

/**
 * One page of access review definitions (of one group's reviews when `groupId` is given). `all`: Graph's page as it is. `active` / `completed`: the whole status
 * vocabulary (reviews/status.ts) is filtered here, over the pages read, because the definitions list documents only a
 * single `status eq` (one status per request), not `or`. `nextLink` is set when more definitions (of this filter) may
 * follow: Graph's link after the last page read.
 */
export async function listDefinitions(client: Client, filter: DefinitionFilter, top = 100, groupId?: string): Promise<DefinitionPage> {
  const what = 'list the access reviews';
  // One group's reviews (a team channel lists its own team's): the documented `contains` filter on the scope's query.
  const ofGroup = groupId === undefined ? {} : { filter: odataFilter`contains(scope/microsoft.graph.accessReviewQueryScope/query, ${`/groups/${groupId.toLowerCase()}`})` };
  try {
    if (filter === 'all') return await readPage(client, { first: { top: Math.min(top, PAGE), select: LIST_FIELDS, ...ofGroup } }, what);
    const found: ReviewDefinition[] = [];
    let position: Position | undefined = { first: { top: PAGE, select: LIST_FIELDS, ...ofGroup } };
    let link: string | undefined;
    for (let pages = 0; position !== undefined && pages < STATUS_PAGES; pages += 1) {
      const page: Page = await readPage(client, position, what);
      found.push(...page.definitions.filter((definition) => inReviewsList(filter, definition.status)));
      // More matches than asked for: say "more follow" (with the link past this page, or this page's own when it was the last).
      if (found.length > top) return { definitions: found.slice(0, top), nextLink: page.nextLink ?? link ?? DEFINITIONS };
      link = page.nextLink;
      position = link === undefined ? undefined : { link };
    }
    return { definitions: found, nextLink: link };
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/** One definition by id (the whole object, as Graph returns it). */
export async function getDefinition(client: Client, id: string): Promise<ReviewDefinition> {
  const what = 'read the access review';
  try {
    return parseAnswer(definitionSchema, await client.api(`${DEFINITIONS}/${encodeURIComponent(id)}`).get(), what);
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/** Every definition the user can read, following `@odata.nextLink`, at most `maxPages` pages of {@link PAGE}. */
export async function allDefinitions(client: Client, maxPages = 10): Promise<{ definitions: ReviewDefinition[]; complete: boolean }> {
  const what = 'list the access reviews';
  try {
    const definitions: ReviewDefinition[] = [];
    let position: Position | undefined = { first: { top: PAGE, select: LIST_FIELDS } };
    for (let pages = 0; position !== undefined; pages += 1) {
      if (pages === maxPages) return { definitions, complete: false };
      const page: Page = await readPage(client, position, what);
      definitions.push(...page.definitions);
      position = page.nextLink === undefined ? undefined : { link: page.nextLink };
    }
    return { definitions, complete: true };
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/** POST a definition (201 → the created definition). Not retried on 5xx by the client: see safeCreate. */
export async function createDefinition(client: Client, body: DefinitionBody): Promise<ReviewDefinition> {
  const what = 'create the access review';
  try {
    return parseAnswer(definitionSchema, await client.api(DEFINITIONS).post(body), what);
  } catch (error) {
    throw toAppError(error, 'write', what);
  }
}

const GROUP_IN_QUERY = /^(?:\/(?:v1\.0|beta))?\/groups\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:[/?]|$)/;
const INACTIVE_USERS = '#microsoft.graph.accessReviewInactiveUsersQueryScope';

/**
 * The documented `$filter` that narrows definitions to those of this scope (api-reference/includes/
 * accessreviews-definition-filter-scope.md): `contains(scope/microsoft.graph.accessReviewQueryScope/query, '/groups/{id}')`
 * for one group, `'./members'` for all Microsoft 365 groups. None for inactive-user scopes ("the $filter query
 * parameter isn't supported on accessReviewInactiveUserQueryScope") or anything else: those read every definition.
 */
export function scopeFilter(scope: LookupScope | undefined): EncodedFilter | undefined {
  if (scope?.['@odata.type'] === INACTIVE_USERS) return undefined;
  const query = (scope?.query ?? '').trim();
  const group = GROUP_IN_QUERY.exec(query)?.[1];
  if (group !== undefined) return odataFilter`contains(scope/microsoft.graph.accessReviewQueryScope/query, ${`/groups/${group.toLowerCase()}`})`;
  if (query.startsWith('./members')) return odataFilter`contains(scope/microsoft.graph.accessReviewQueryScope/query, ${'./members'})`;
  return undefined;
}

/**
 * Definitions named exactly `name` among those of `scope` (to find a create whose answer was lost). Only documented
 * query options: the scope's `contains` filter when there is one, `$top`/`$select`, and every page followed (Graph
 * documents no ordering by creation time, so the whole narrowed list is read). Past {@link LOOKUP_PAGES} pages it
 * answers GraphUnavailable rather than "not there": the caller must not create again on a guess.
 */
export async function findDefinitionsByName(client: Client, name: string, scope?: LookupScope): Promise<ReviewDefinition[]> {
  const what = 'check whether the access review was created';
  try {
    const filter = scopeFilter(scope);
    let position: Position | undefined = {
      first: { top: PAGE, select: ['id', 'displayName', 'status', 'createdBy', 'createdDateTime', 'descriptionForAdmins'], ...(filter ? { filter } : {}) },
    };
    const named: ReviewDefinition[] = [];
    for (let pages = 0; position !== undefined; pages += 1) {
      if (pages === LOOKUP_PAGES) {
        throw new AppError('GraphUnavailable', 'There are too many access reviews to check whether the review was created.');
      }
      const page: Page = await readPage(client, position, what);
      named.push(...page.definitions.filter((definition) => definition.displayName === name));
      position = page.nextLink === undefined ? undefined : { link: page.nextLink };
    }
    return named;
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}
