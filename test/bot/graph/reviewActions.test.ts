import { isAppError } from '../../../bot/errors';
import { GraphClientFactory } from '../../../bot/graph/graphClient';
import { countDecisions, deleteDefinition, getInstance, instanceAction, listInstances } from '../../../bot/graph/reviewActions';
import { control, startLocalTenant, userToken, type LocalTenant } from '../../support/localTenant';

/**
 * The seam's admin calls against the Graph emulator: decision counts over several pages with the documented
 * `decision eq` filter, the instance actions with their preconditions, 403 naming the operation and role, delete → 404.
 */
let tenant: LocalTenant;
let factory: GraphClientFactory;
let adele = '';
let megan = '';

beforeAll(async () => {
  tenant = await startLocalTenant();
  factory = new GraphClientFactory({ baseUrl: tenant.graph, retryDelaySeconds: 0 });
  [adele, megan] = await Promise.all([userToken(tenant, 'adele@contoso.local'), userToken(tenant, 'megan@contoso.local')]);
});
afterAll(async () => {
  await tenant.dispose();
});

const failure = async (work: Promise<unknown>): Promise<unknown> => work.then(() => undefined, (error: unknown) => error);

test('a run of 250 items: counted over three pages, filtered by decision; stop once, then its precondition; delete → gone', async () => {
  const seeded = (await control(tenant, 'POST', '/seed', { groups: 0, membersPerGroup: 0, definitions: 1, decisionsPerInstance: 250 })).body as {
    definitions: string[]; instances: string[];
  };
  const definitionId = seeded.definitions[0] ?? '';
  const client = factory.forToken(adele);
  const runs = await listInstances(client, definitionId);
  expect(runs.map((run) => run.id)).toEqual(seeded.instances);
  const instanceId = runs[0]?.id ?? '';

  await control(tenant, 'POST', '/stats/reset');
  expect(await countDecisions(client, definitionId, instanceId)).toEqual({ count: 250, complete: true });
  expect((await control(tenant, 'GET', '/stats')).body.requests).toBe(3);
  expect(await countDecisions(client, definitionId, instanceId, 'NotReviewed')).toEqual({ count: 250, complete: true });
  expect(await countDecisions(client, definitionId, instanceId, 'Deny')).toEqual({ count: 0, complete: true });

  const refused = await failure(instanceAction(factory.forToken(megan), definitionId, instanceId, 'stop'));
  expect(isAppError(refused, 'Forbidden') && refused.userMessage).toContain('refused to stop the current run of the access review');
  expect(isAppError(refused) && refused.userMessage).toContain('Identity Governance Administrator or User Administrator');

  await instanceAction(client, definitionId, instanceId, 'stop');
  expect((await getInstance(client, definitionId, instanceId)).status).toBe('Completed');
  const again = await failure(instanceAction(client, definitionId, instanceId, 'stop'));
  expect(isAppError(again, 'BadRequest')).toBe(true);
  const reminder = await failure(instanceAction(client, definitionId, instanceId, 'sendReminder'));
  expect(isAppError(reminder, 'BadRequest')).toBe(true);

  await deleteDefinition(client, definitionId);
  expect(isAppError(await failure(getInstance(client, definitionId, instanceId)), 'NotFound')).toBe(true);
  expect(isAppError(await failure(deleteDefinition(client, definitionId)), 'NotFound')).toBe(true);
});
