import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { isAppError } from '../../../bot/errors';
import { myDirectoryRoles, ROLE_PAGES } from '../../../bot/graph/directory';

/**
 * myDirectoryRoles: `GET /me/transitiveMemberOf?$select=id,roleTemplateId` read as Graph answers it — groups skipped,
 * directory roles by template id, roles with "limited information" (only `@odata.type` and `id`) counted, never
 * guessed; `@odata.nextLink` followed (an http link made relative), at most ROLE_PAGES pages.
 */

const IGA = '45d8d3c5-c802-45c6-b32a-1d70b5e1e86e';
const READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const BASE = 'http://127.0.0.1:3982';

/** A client whose only middleware answers each request with the next of `answers` and records the URLs asked. */
function answering(answers: Array<{ status?: number; body: unknown }>): { client: Client; asked: string[] } {
  const asked: string[] = [];
  const middleware: Middleware = {
    execute: (context: Context): Promise<void> => {
      asked.push(decodeURIComponent(typeof context.request === 'string' ? context.request : context.request.url));
      const answer = answers.shift() ?? { status: 500, body: { error: { code: 'unexpected', message: 'no more answers' } } };
      context.response = new Response(JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { 'content-type': 'application/json' } });
      return Promise.resolve();
    },
  };
  return { client: Client.initWithMiddleware({ middleware, baseUrl: `${BASE}/`, defaultVersion: 'v1.0' }), asked };
}

const role = (templateId: string): Record<string, unknown> => ({ '@odata.type': '#microsoft.graph.directoryRole', id: `${templateId}-object`, roleTemplateId: templateId });
const group = (id: string): Record<string, unknown> => ({ '@odata.type': '#microsoft.graph.group', id, roleTemplateId: null });

test('groups are skipped, roles named by template id (lower case), across pages', async () => {
  const { client, asked } = answering([
    { body: { value: [group('g1'), role(IGA.toUpperCase())], '@odata.nextLink': `${BASE}/v1.0/me/transitiveMemberOf?$select=id,roleTemplateId&$skiptoken=abc` } },
    { body: { value: [{ '@odata.type': '#microsoft.graph.group', id: 'g2' }, role(READER)] } },
  ]);
  expect(await myDirectoryRoles(client)).toEqual({ roleTemplateIds: [IGA, READER], unnamed: 0, complete: true });
  expect(asked).toEqual([
    `${BASE}/v1.0/me/transitiveMemberOf?$select=id,roleTemplateId`,
    `${BASE}/v1.0/me/transitiveMemberOf?$select=id,roleTemplateId&$skiptoken=abc`,
  ]);
});

test('limited information: a directory role with only @odata.type and id is counted as unnamed, not as a role', async () => {
  const { client } = answering([{ body: { value: [{ '@odata.type': '#microsoft.graph.directoryRole', id: 'r1' }, { '@odata.type': '#microsoft.graph.group', id: 'g1' }, { id: 'x' }] } }]);
  expect(await myDirectoryRoles(client)).toEqual({ roleTemplateIds: [], unnamed: 1, complete: true });
});

test(`at most ${ROLE_PAGES} pages are read; more left unread is said (complete: false)`, async () => {
  const page = { body: { value: [group('g')], '@odata.nextLink': `${BASE}/v1.0/me/transitiveMemberOf?$skiptoken=next` } };
  const { client, asked } = answering(Array.from({ length: ROLE_PAGES + 3 }, () => page));
  expect(await myDirectoryRoles(client)).toEqual({ roleTemplateIds: [], unnamed: 0, complete: false });
  expect(asked).toHaveLength(ROLE_PAGES);
});

test('a 403 is Forbidden; a malformed answer is GraphUnavailable', async () => {
  const refused = await myDirectoryRoles(answering([{ status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } } }]).client)
    .then(() => undefined, (error: unknown) => error);
  expect(isAppError(refused, 'Forbidden')).toBe(true);
  const malformed = await myDirectoryRoles(answering([{ body: { value: 'nope' } }]).client).then(() => undefined, (error: unknown) => error);
  expect(isAppError(malformed, 'GraphUnavailable')).toBe(true);
});
