import type { Client } from '@microsoft/microsoft-graph-client';
import { inReviewsList } from '../../reviews/status';
import { definitionSchema, instanceSchema, pageOf, parseAnswer } from './answers';
import type { DefinitionFilter, DefinitionsFromPage, ListPosition, ReviewDefinition, ReviewInstance } from './apis';
import { toAppError } from './graphErrors';
import { odataFilter } from './odata';
import { batchGet, relativeGraphPath } from './requests';

/**
 * The reviews list, page by page, never by loading everything: a card page of `size` definitions starts at a
 * ListPosition (a Graph page, named by the `$skiptoken` or `$skip` of the `@odata.nextLink` that led to it, and how
 * many of that page's items were already shown). `active`/`completed` are filtered here over Graph's pages (Graph
 * documents one `status eq` per request, not `or`), so a position inside a Graph page keeps Next exact for them too.
 */

const DEFINITIONS = '/identityGovernance/accessReviews/definitions';
const FIELDS = ['id', 'displayName', 'status', 'scope', 'instanceEnumerationScope', 'reviewers', 'settings', 'createdBy', 'createdDateTime'];
const INSTANCE_FIELDS = ['id', 'status', 'startDateTime', 'endDateTime'];
/** Graph's largest page on these lists. */
const GRAPH_PAGE = 100;
/** Graph pages one card page reads at most (a status filter that matches rarely): then it offers Next from there. */
const MAX_GRAPH_PAGES = 5;
/** Any host: BatchRequestContent keeps only the path of each request (requests.ts). */
const BATCH_HOST = 'https://graph.microsoft.com';
const definitionPage = pageOf(definitionSchema);
const instancePage = pageOf(instanceSchema);

/** A page token as a card may carry it back (untrusted): Graph's token characters only, bounded. */
const SKIPTOKEN = /^[A-Za-z0-9\-_.~!*'()%+/=]{1,160}$/;

/** Whether `position` is one the bot could have made (card data is untrusted; Graph checks the rest). */
export function isListPosition(position: ListPosition): boolean {
  const { skiptoken, skip, offset } = position;
  if (!Number.isInteger(offset) || offset < 0 || offset >= GRAPH_PAGE) return false;
  if (skip !== undefined && (!Number.isInteger(skip) || skip < 0 || skip > 10_000_000)) return false;
  return skiptoken === undefined || SKIPTOKEN.test(skiptoken);
}

/** The position of the Graph page a `@odata.nextLink` reads: its `$skiptoken` or `$skip` (undefined: neither, or too long to carry). */
export function positionOf(nextLink: string): ListPosition | undefined {
  const params = new URL(relativeGraphPath(nextLink), BATCH_HOST).searchParams;
  const skiptoken = params.get('$skiptoken') ?? undefined;
  const skipText = params.get('$skip');
  const position: ListPosition = { offset: 0, ...(skiptoken === undefined ? {} : { skiptoken }), ...(skipText === null ? {} : { skip: Number(skipText) }) };
  return (skiptoken === undefined && skipText === null) || !isListPosition(position) ? undefined : position;
}

/** One page of the reviews list from `from`; `next` is where the following one starts (absent: the list ends here). */
export async function definitionsFrom(client: Client, filter: DefinitionFilter, size: number, groupId: string | undefined, from: ListPosition):
Promise<DefinitionsFromPage> {
  const what = 'list the access reviews';
  try {
    const found: ReviewDefinition[] = [];
    let position: ListPosition = from;
    for (let pages = 0; pages < MAX_GRAPH_PAGES; pages += 1) {
      // Built from the bot's own query (filter, fields, team group) plus the page token: a card cannot point it elsewhere.
      let request = client.api(DEFINITIONS).top(GRAPH_PAGE).select(FIELDS);
      if (groupId !== undefined) request = request.filter(odataFilter`contains(scope/microsoft.graph.accessReviewQueryScope/query, ${`/groups/${groupId.toLowerCase()}`})`);
      // graph-client writes query values into the URL as given: the token (decoded from the nextLink) is encoded again.
      if (position.skiptoken !== undefined) request = request.query({ $skiptoken: encodeURIComponent(position.skiptoken) });
      if (position.skip !== undefined) request = request.skip(position.skip);
      const page = parseAnswer(definitionPage, await request.get(), what);
      for (let index = position.offset; index < page.value.length; index += 1) {
        const definition = page.value[index] as ReviewDefinition;
        if (!inReviewsList(filter, definition.status)) continue;
        // One more than the page holds: the next card page starts at it.
        if (found.length === size) return { definitions: found, next: { ...position, offset: index }, more: true };
        found.push(definition);
      }
      const link = page['@odata.nextLink'];
      if (link === undefined) return { definitions: found, next: undefined, more: false };
      const next = positionOf(link);
      if (next === undefined) return { definitions: found, next: undefined, more: true };
      position = next;
    }
    return { definitions: found, next: position, more: true };
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/**
 * The instances of each definition (first Graph page of each, in one `$batch` of up to 20 requests): for the list's
 * "current run ends". A definition whose instances cannot be read (deleted meanwhile, refused) gets none.
 * `asReviewer`: only those the caller reviews (`instances/filterByCurrentUser(on='reviewer')`), with their scope.
 */
export async function instancesOf(client: Client, definitionIds: readonly string[], options: { asReviewer?: boolean } = {}): Promise<Map<string, ReviewInstance[]>> {
  const what = options.asReviewer === true ? 'read the runs of the access reviews you review' : 'read the runs of the access reviews';
  const list = options.asReviewer === true ? "instances/filterByCurrentUser(on='reviewer')" : 'instances';
  const fields = options.asReviewer === true ? [...INSTANCE_FIELDS, 'scope'] : INSTANCE_FIELDS;
  try {
    const paths = definitionIds.map((id) => `${DEFINITIONS}/${encodeURIComponent(id)}/${list}?$top=${GRAPH_PAGE}&$select=${fields.join(',')}`);
    const answers = paths.length === 0 ? [] : await batchGet(client, BATCH_HOST, paths);
    const result = new Map<string, ReviewInstance[]>();
    answers.forEach((answer, index) => {
      const id = definitionIds[index];
      if (id === undefined || answer.status !== 200) return;
      const parsed = instancePage.safeParse(answer.body);
      if (parsed.success) result.set(id, parsed.data.value.map((instance) => ({ ...instance })));
    });
    return result;
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}
