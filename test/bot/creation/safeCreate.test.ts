import { createOnce } from '../../../bot/creation/safeCreate';
import { AppError, isAppError } from '../../../bot/errors';
import type { ReviewDefinition } from '../../../bot/graph/apis';
import { createLogger } from '../../../bot/logger';
import { completeSettings } from '../../../reviews/defaults';
import { toDefinition } from '../../../reviews/definition';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';

/**
 * A create is made exactly once (creation/safeCreate): a lost answer is looked for before any new attempt, found
 * by its request tag among same-named reviews; when even the look-up fails nothing is posted again; 4xx is final.
 * Against the in-memory fake, on a fixed clock, with the pause between attempts recorded instead of waited.
 */
const NOW = Date.parse('2025-06-02T09:00:00Z');
const log = createLogger('silent');
const ADELE = { id: IDS.adele, displayName: 'Adele Vance' };
const settings = completeSettings({ scope: { kind: 'guests', group: { id: IDS.sales, displayName: 'Sales Team' } } }, ADELE, '2025-06-02');
const TAG = ' (Created in Microsoft Teams, request draft-1.)';
const body = { ...toDefinition(settings), descriptionForAdmins: `${settings.descriptionForAdmins}${TAG}` };

let tenant: FakeTenant;
let pauses: number[];
const timing = { now: () => NOW, sleep: (ms: number): Promise<void> => { pauses.push(ms); return Promise.resolve(); } };
const create = () => createOnce(tenant.forUser(IDS.adele).reviews, body, IDS.adele, log, timing);
const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);
const tagged = (): ReviewDefinition[] => tenant.definitions.filter((d) => d.descriptionForAdmins === body.descriptionForAdmins);

/** A review of the same name and scope already in the tenant. */
function existing(id: string, extra: Partial<ReviewDefinition>): ReviewDefinition {
  return { id, displayName: body.displayName, status: 'NotStarted', createdBy: { id: IDS.adele }, createdDateTime: new Date(NOW).toISOString(),
    descriptionForAdmins: body.descriptionForAdmins, scope: body.scope, ...extra };
}

beforeEach(() => {
  tenant = smallTenant(() => NOW);
  pauses = [];
});

test('an answered create posts once and looks nothing up', async () => {
  const outcome = await create();
  expect(outcome).toMatchObject({ recovered: false, definition: { displayName: body.displayName, createdBy: { id: IDS.adele } } });
  expect(tenant.methods()).toEqual(['createDefinition']);
  expect(pauses).toEqual([]);
});

test('a lost answer is found by its tag among same-named reviews, and nothing is posted again', async () => {
  tenant.definitions.push(
    // Same name, same requester, minutes apart: another confirmation's review (another tag).
    existing('other-request', { descriptionForAdmins: `${settings.descriptionForAdmins} (Created in Microsoft Teams, request draft-0.)` }),
    // Same name and tag, but someone else made it; and ours from yesterday (before this call): neither is ours now.
    existing('someone-else', { createdBy: { id: IDS.megan } }),
    existing('yesterday', { createdDateTime: new Date(NOW - 86_400_000).toISOString() }),
  );
  tenant.failNext('createDefinition', undefined, 'after');
  const outcome = await create();
  const made = tagged().filter((d) => d.createdBy?.id === IDS.adele && d.id.startsWith('definition-'));
  expect(made).toHaveLength(1);
  expect(outcome).toEqual({ definition: made[0], recovered: true });
  expect(tenant.methods()).toEqual(['createDefinition', 'findDefinitionsByName']);
  // The look-up is narrowed by the review's scope (Graph's documented contains filter), never by a name filter.
  expect(tenant.calls[1]?.args).toEqual([body.displayName, body.scope]);
  expect(pauses).toEqual([]);
});

test('a review of the same name, tag and requester but another scope is not taken for ours', async () => {
  const otherScope = { ...body.scope, query: `/groups/${IDS.finance}/transitiveMembers/microsoft.graph.user` };
  tenant.definitions.push(existing('other-scope', { scope: otherScope }));
  tenant.failNext('createDefinition');
  const outcome = await create();
  expect(outcome.recovered).toBe(false);
  expect(tenant.methods()).toEqual(['createDefinition', 'findDefinitionsByName', 'createDefinition']);
});

test('a create that did not happen is looked for, then posted again after a pause', async () => {
  tenant.failNext('createDefinition');
  const outcome = await create();
  expect(outcome.recovered).toBe(false);
  expect(tagged()).toHaveLength(1);
  expect(tenant.methods()).toEqual(['createDefinition', 'findDefinitionsByName', 'createDefinition']);
  expect(pauses).toEqual([250]);
});

test('when the look-up fails too, nothing is posted again and the user is told to check', async () => {
  tenant.failNext('createDefinition').failNext('findDefinitionsByName');
  const error = await failure(create());
  expect(isAppError(error, 'GraphUnavailable')).toBe(true);
  expect((error as AppError).userMessage).toBe('Microsoft Graph is busy and I could not confirm whether the review was created. ' +
    'Type `reviews` in a minute to check before trying again.');
  expect(tenant.methods()).toEqual(['createDefinition', 'findDefinitionsByName']);
  expect(tenant.definitions).toHaveLength(0);
});

test('a 4xx answer is final: one post, no look-up, no pause', async () => {
  tenant.failNext('createDefinition', new AppError('BadRequest', 'Microsoft Graph rejected the request to create the access review: `bad scope`', { status: 400 }));
  const error = await failure(create());
  expect(isAppError(error, 'BadRequest')).toBe(true);
  expect(tenant.methods()).toEqual(['createDefinition']);
  expect(pauses).toEqual([]);
});

test('an expired sign-in is not retried', async () => {
  tenant.failNext('createDefinition', new AppError('SignInRequired', 'Your sign-in has expired. Please sign in again.', { status: 401 }));
  expect(isAppError(await failure(create()), 'SignInRequired')).toBe(true);
  expect(tenant.methods()).toEqual(['createDefinition']);
});

test('busy on every attempt: three posts, a look-up before each retry and at the end, then "not created (I checked)"', async () => {
  const throttled = (): AppError => new AppError('Throttled', 'Microsoft Graph is busy.', { status: 429, retryAfterSeconds: 12 });
  tenant.failNext('createDefinition', throttled()).failNext('createDefinition', throttled()).failNext('createDefinition', throttled());
  const error = await failure(create());
  expect(isAppError(error, 'GraphUnavailable')).toBe(true);
  expect(error).toMatchObject({ retryAfterSeconds: 12, userMessage: 'Microsoft Graph is busy: the review was not created (I checked). Try again in 12 seconds.' });
  expect(tenant.methods()).toEqual(['createDefinition', 'findDefinitionsByName', 'createDefinition', 'findDefinitionsByName', 'createDefinition',
    'findDefinitionsByName']);
  expect(pauses).toEqual([250, 500]);
  expect(tenant.definitions).toHaveLength(0);
});

test('an answer lost on the last attempt is still found by the final look-up', async () => {
  tenant.failNext('createDefinition').failNext('createDefinition').failNext('createDefinition', undefined, 'after');
  const outcome = await create();
  expect(outcome.recovered).toBe(true);
  expect(tagged()).toHaveLength(1);
});
