import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { createDefinition, findDefinitionsByName, listDefinitions } from '../../../bot/graph/accessReviews';
import {
  countGroupUsers, findUsersByEmail, getGroup, getGroupNames, getMe, searchGroups,
} from '../../../bot/graph/directory';
import { decisionSchema, definitionSchema, instanceSchema, parseAnswer } from '../../../bot/graph/answers';
import { AppError, isAppError } from '../../../bot/errors';
import { completeSettings } from '../../../reviews/defaults';
import { describeRecurrence, describeScope } from '../../../reviews/describe';
import { toDefinition } from '../../../reviews/definition';

/**
 * Graph's answers are parsed at the seam, not cast: what real Graph sends (nulls, missing optional fields, extra
 * properties, statuses and recurrence types added later) goes through; an answer without what the bot relies on
 * (an id, a `value` list, a count) is AppError('GraphUnavailable') in plain words instead of a crash further on.
 */

/** A Graph client that answers every request with `body` (JSON, or text as given). */
function answering(body: unknown, contentType = 'application/json'): Client {
  const middleware: Middleware = {
    execute: (context: Context): Promise<void> => {
      const text = contentType === 'application/json' ? JSON.stringify(body) : String(body);
      context.response = new Response(text, { status: 200, headers: { 'content-type': contentType } });
      return Promise.resolve();
    },
  };
  return Client.initWithMiddleware({ middleware, baseUrl: 'https://graph.example.test/', defaultVersion: 'v1.0' });
}

const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);
const GROUP_ID = '0b3f1c55-9f1d-4d3b-a7f3-3f58d9c1a001';

async function expectUnreadable(call: Promise<unknown>, what: string): Promise<void> {
  const error = await failure(call);
  expect(isAppError(error, 'GraphUnavailable')).toBe(true);
  expect((error as AppError).userMessage).toBe(`Microsoft Graph sent an answer I could not read when I tried to ${what}. Please try again in a minute.`);
  // The cause names the fields for the logs; no values from the answer.
  expect(String((error as AppError).cause)).toMatch(/^Error: malformed Graph answer: /);
}

describe('definitions', () => {
  const definition = {
    id: 'def-1', displayName: 'Guests of Sales', status: 'SomeStatusAddedLater', descriptionForAdmins: null, createdDateTime: '2025-06-01T10:00:00Z',
    createdBy: { id: 'u-1', displayName: null, userPrincipalName: 'adele@contoso.local', '@odata.type': '#microsoft.graph.userIdentity' },
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${GROUP_ID}/transitiveMembers/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')`, queryType: 'MicrosoftGraph', queryRoot: null },
    instanceEnumerationScope: null,
    reviewers: [{ query: `/groups/${GROUP_ID}/owners`, queryType: 'MicrosoftGraph', queryRoot: null }],
    settings: { recurrence: { pattern: { type: 'someNewPattern', interval: 2 }, range: { type: 'noEnd', startDate: '2025-06-01' } }, mailNotificationsEnabled: true },
    stageSettings: [],
    somethingGraphAddsTomorrow: { nested: true },
  };

  test('a real-shaped page goes through: unknown status and recurrence type kept, extra fields kept, nextLink read', async () => {
    const page = await listDefinitions(answering({ value: [definition], '@odata.nextLink': 'https://graph.microsoft.com/v1.0/next' }), 'all', 11);
    expect(page.nextLink).toBe('https://graph.microsoft.com/v1.0/next');
    expect(page.definitions).toEqual([definition]);
    const [parsed] = page.definitions;
    expect(parsed?.status).toBe('SomeStatusAddedLater');
    expect(describeScope(parsed ?? { id: '' }, new Map([[GROUP_ID, 'Sales']]))).toBe('Guests of Sales');
    expect(describeRecurrence(parsed?.settings?.recurrence)).toBe('Recurring');
  });

  test('a page with only ids (everything else missing) goes through; no nextLink is undefined', async () => {
    expect(await listDefinitions(answering({ value: [{ id: 'def-2' }] }), 'active')).toEqual({ definitions: [{ id: 'def-2' }], nextLink: undefined });
  });

  test.each([
    ['no value list', { '@odata.context': 'x' }],
    ['value is not a list', { value: 'definitions' }],
    ['a definition without id', { value: [{ ...definition, id: undefined }] }],
    ['an id that is not text', { value: [{ ...definition, id: 42 }] }],
    ['a status that is not text', { value: [{ ...definition, status: { code: 1 } }] }],
    ['a scope that is not an object', { value: [{ ...definition, scope: 'groups' }] }],
    ['an HTML error page', '<html>gateway</html>'],
    ['null', null],
  ])('list: %s → GraphUnavailable', async (_name, answer) => {
    await expectUnreadable(listDefinitions(answering(answer), 'all'), 'list the access reviews');
  });

  // accessreviewscheduledefinition-get and the security group tutorial (step 3) as Graph writes them: createdBy with
  // "type": null, service-rewritten queries (/v1.0 prefix, ?$count=true), queryRoot null, a null createdDateTime.
  test('the members real Graph writes go through and are read: type null, /v1.0 and ?$count=true queries, null interval', async () => {
    const asGraphWritesIt = {
      ...definition, status: 'Applying', createdDateTime: null, lastModifiedDateTime: '0001-01-01T00:00:00Z',
      createdBy: { id: 'u-1', displayName: 'MOD Administrator', type: null, userPrincipalName: 'admin@contoso.com' },
      scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', queryType: 'MicrosoftGraph', queryRoot: null,
        query: `/v1.0/groups/${GROUP_ID}/transitiveMembers/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')` },
      instanceEnumerationScope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/v1.0/groups/${GROUP_ID}`, queryType: 'MicrosoftGraph', queryRoot: null },
      reviewers: [{ query: '/v1.0/users/5555556e-fce3-4e2d-b28e-4ac0c7d2fa10', queryType: 'MicrosoftGraph', queryRoot: null }],
      settings: { recurrence: { pattern: { type: 'absoluteMonthly', interval: null }, range: { type: 'noEnd', startDate: '2025-06-01', endDate: null } } },
    };
    const [parsed] = (await listDefinitions(answering({ '@odata.context': 'x', '@odata.count': 1, value: [asGraphWritesIt] }), 'completed', 11)).definitions;
    expect(parsed).toMatchObject({ id: 'def-1', status: 'Applying', createdBy: { type: null } });
    expect(describeScope(parsed ?? { id: '' }, new Map([[GROUP_ID, 'Sales']]))).toBe('Guests of Sales');
    expect(describeRecurrence(parsed?.settings?.recurrence)).toBe('Monthly');
    const allGroups = parseAnswer(definitionSchema, { id: 'def-2', scope: { query: "./members/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')" } }, 'read');
    expect(describeScope(allGroups, new Map())).toBe('Guests in all Microsoft 365 groups');
  });

  test('look-up by name: a malformed page is GraphUnavailable (safeCreate then posts nothing again)', async () => {
    await expectUnreadable(findDefinitionsByName(answering({ value: [{ displayName: 'x' }] }), 'x'), 'check whether the access review was created');
  });

  test('create: an answer without an id is GraphUnavailable, without claiming nothing changed', async () => {
    const body = toDefinition(completeSettings({ scope: { kind: 'allGroupsGuests' } }, { id: 'u-1', displayName: 'Adele' }, '2025-06-02'));
    await expectUnreadable(createDefinition(answering({ displayName: body.displayName }), body), 'create the access review');
    expect(await createDefinition(answering({ ...body, id: 'def-9', status: 'NotStarted' }), body)).toMatchObject({ id: 'def-9', status: 'NotStarted' });
  });
});

describe('directory', () => {
  test('groups: nulls where Graph sends them are read as "not set"', async () => {
    const group = { id: GROUP_ID, displayName: 'Sales', groupTypes: null, membershipRule: null, isAssignableToRole: null, mail: 'sales@x' };
    expect(await getGroup(answering(group), GROUP_ID)).toEqual({ id: GROUP_ID, displayName: 'Sales', isDynamic: false, isAssignableToRole: false, isMicrosoft365: false });
    const m365 = { id: 'g-2', displayName: 'Sales Ops', groupTypes: ['Unified', 'DynamicMembership'], membershipRule: 'user.department -eq "Sales"', isAssignableToRole: true };
    expect(await searchGroups(answering({ value: [m365] }), 'Sales')).toEqual([
      { id: 'g-2', displayName: 'Sales Ops', isDynamic: true, isAssignableToRole: true, isMicrosoft365: true },
    ]);
  });

  test.each([
    ['getGroup: no id', (c: Client) => getGroup(c, GROUP_ID), { displayName: 'Sales' }, 'read the group'],
    ['getGroup: groupTypes not a list', (c: Client) => getGroup(c, GROUP_ID), { id: GROUP_ID, groupTypes: 'Unified' }, 'read the group'],
    ['searchGroups: no value', (c: Client) => searchGroups(c, 'Sa'), {}, 'search for the group `Sa`'],
    ['searchGroups: a group without id', (c: Client) => searchGroups(c, 'Sa'), { value: [{ displayName: 'Sales' }] }, 'search for the group `Sa`'],
    ['groupNames: a group without id', (c: Client) => getGroupNames(c, [GROUP_ID]), { value: [{ displayName: 'Sales' }] }, 'read group names'],
    ['me: no id', (c: Client) => getMe(c), { displayName: 'Adele' }, 'read your profile'],
    ['findUsersByEmail: a user without id', (c: Client) => findUsersByEmail(c, ['a@x.test']), { value: [{ mail: 'a@x.test' }] }, 'look up the reviewers'],
    ['findUsersByEmail: mail not text', (c: Client) => findUsersByEmail(c, ['a@x.test']), { value: [{ id: 'u', mail: ['a@x.test'] }] }, 'look up the reviewers'],
  ])('%s → GraphUnavailable', async (_name, call, answer, what) => {
    await expectUnreadable(call(answering(answer)), what);
  });

  test('users: a missing display name is empty, a missing UPN left out; addresses nobody has are listed', async () => {
    const found = await findUsersByEmail(answering({ value: [{ id: 'u-1', displayName: null, mail: 'A@x.test', userPrincipalName: null }] }), ['a@x.test', 'b@x.test']);
    expect(found).toEqual({ users: [{ id: 'u-1', displayName: '' }], missing: ['b@x.test'] });
    expect(await getMe(answering({ id: 'u-1', displayName: 'Adele', userPrincipalName: 'adele@x.test', mail: null }))).toEqual({ id: 'u-1', displayName: 'Adele', userPrincipalName: 'adele@x.test' });
  });

  test('group names: a group without a name is left out like an unknown one', async () => {
    const names = await getGroupNames(answering({ value: [{ id: GROUP_ID.toUpperCase(), displayName: 'Sales' }, { id: 'g-2', displayName: null }] }), [GROUP_ID, 'g-2']);
    expect(names).toEqual(new Map([[GROUP_ID, 'Sales']]));
  });

  test('counts: a number, or its digits as text; anything else keeps its own message', async () => {
    expect(await countGroupUsers(answering(12), GROUP_ID, false)).toBe(12);
    expect(await countGroupUsers(answering('7', 'text/plain'), GROUP_ID, true)).toBe(7);
    for (const answer of [{ value: 3 }, 'many', -1, 1.5]) {
      const error = await failure(countGroupUsers(answering(answer, typeof answer === 'string' ? 'text/plain' : 'application/json'), GROUP_ID, true));
      expect(isAppError(error, 'GraphUnavailable')).toBe(true);
      expect((error as AppError).userMessage).toBe('Microsoft Graph gave no count of guests of the group.');
    }
  });
});

// Instances and decision items as Microsoft's examples show them (accessreviewinstance-filterbycurrentuser; the security
// group tutorial step 5; the privileged roles tutorial for a group principal).
describe('instances and decision items', () => {
  const user = {
    id: '4db68765-472d-4aa2-847a-433ea94bcfaf', accessReviewId: '2d56c364-0695-4ec6-8b92-4c1db7c80f1b', reviewedDateTime: null,
    decision: 'NotReviewed', justification: '', appliedDateTime: null, applyResult: 'New', recommendation: 'Approve',
    principalLink: 'https://graph.microsoft.com/v1.0/users/bf59c5ba-5304-4c9b-9192-e5a4cb8444e7',
    resourceLink: 'https://graph.microsoft.com/v1.0/groups/eb75ccd2-59ef-48b7-8f76-cc3f33f899f4',
    reviewedBy: { id: '00000000-0000-0000-0000-000000000000', displayName: '', type: null, userPrincipalName: '' },
    appliedBy: { id: '00000000-0000-0000-0000-000000000000', displayName: '', type: null, userPrincipalName: '' },
    resource: { id: 'eb75ccd2-59ef-48b7-8f76-cc3f33f899f4', displayName: 'Building security group', type: 'group' },
    principal: { '@odata.type': '#microsoft.graph.userIdentity', id: 'bf59c5ba-5304-4c9b-9192-e5a4cb8444e7', displayName: 'MOD Administrator',
      type: 'user', userPrincipalName: 'admin@contoso.com', lastUserSignInDateTime: '2/11/2022 5:31:37 PM +00:00' },
  };
  const group = {
    ...user, id: '62fd1c5b-04b8-4703-9fd7-dce6232c3775', recommendation: 'NoInfoAvailable', resourceLink: null, resource: null,
    principalLink: 'https://graph.microsoft.com/v1.0/groups/b5260fca-6d64-4d5a-92df-0c482d40bc4d',
    principal: { id: 'b5260fca-6d64-4d5a-92df-0c482d40bc4d', displayName: 'IT Helpdesk (User)', type: 'group' },
  };

  test('a user item (locale sign-in text), a never-signed-in user ("") and a group item (no @odata.type, null resource) are read', () => {
    const never = { ...user, principal: { ...user.principal, lastUserSignInDateTime: '' } };
    for (const item of [user, never, group]) expect(parseAnswer(decisionSchema, item, 'read the decisions')).toEqual(item);
    expect(parseAnswer(decisionSchema, group, 'read the decisions').principal).toEqual({ id: group.principal.id, displayName: 'IT Helpdesk (User)', type: 'group' });
  });

  test('an item without an id, or with a principal that is not an object, is GraphUnavailable', () => {
    expect(() => parseAnswer(decisionSchema, { ...user, id: undefined }, 'read the decisions')).toThrow(AppError);
    expect(() => parseAnswer(decisionSchema, { ...user, principal: 'Adele' }, 'read the decisions')).toThrow(AppError);
  });

  test('an instance "Applied" with a /v1.0 scope and ?$count=true is read as it came', () => {
    const instance = {
      '@odata.type': '#microsoft.graph.accessReviewInstance', id: '7ca879f0-77ea-4386-b110-776dec898935',
      startDateTime: '2021-04-20T00:45:51.627Z', endDateTime: '2021-04-23T00:45:51.627Z', status: 'Applied',
      scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', queryType: 'MicrosoftGraph', queryRoot: null,
        query: "/v1.0/groups/6b7b9930-38a0-4f93-a107-3bc9904c83d7/members/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')" },
    };
    expect(parseAnswer(instanceSchema, instance, 'read the review')).toEqual(instance);
    expect(() => parseAnswer(instanceSchema, { ...instance, status: 7 }, 'read the review')).toThrow(AppError);
  });
});
