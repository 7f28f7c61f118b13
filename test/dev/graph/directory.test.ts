import { randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { BOT_APP_ID, DEMO_TENANT, GROUP, staffId, USER, type TenantGroup } from '../../../dev/tenant/tenant';
import { appToken, graph, ssoToken, startLocalTenant, userToken, type GraphResponse, type LocalTenant, graphPages } from '../../support/localTenant';

/**
 * The directory subset of the Graph emulator (spec/local-tenant.md, "Directory subset", "Paging", "Auth"),
 * over real HTTP against a local tenant in its own process.
 */
let tenant: LocalTenant;
/** Delegated tokens through the bot (OBO, .default: AccessReview.ReadWrite.All, Group.Read.All, User.ReadBasic.All, User.Read). */
let adele: string;
let alex: string;
/** App tokens: the bot's (AccessReview.Read.All, Group.Read.All, User.ReadBasic.All) and the automation app's (… User.Read.All). */
let botApp: string;
let automation: string;

beforeAll(async () => {
  tenant = await startLocalTenant();
  [adele, alex, botApp, automation] = await Promise.all([
    userToken(tenant, USER.adele), userToken(tenant, USER.alex), appToken(tenant, 'bot'), appToken(tenant, 'automation'),
  ]);
});
afterAll(async () => {
  await tenant.dispose();
});

const EVENTUAL = { ConsistencyLevel: 'eventual' };
const get = (token: string | undefined, path: string, headers?: Record<string, string>): Promise<GraphResponse> =>
  graph(tenant, token, 'GET', path, undefined, headers);
const ids = (response: GraphResponse): string[] => (response.body.value as Array<{ id: string }>).map((o) => o.id);
const sorted = (values: readonly string[]): string[] => [...values].sort();
const demoGroup = (id: string): TenantGroup => {
  const group = DEMO_TENANT.groups.find((g) => g.id === id);
  if (!group) throw new Error(`no demo group ${id}`);
  return group;
};
const GUESTS = DEMO_TENANT.users.filter((u) => u.userType === 'Guest').map((u) => u.id);

/** Graph's error envelope, with the request-id header equal to innerError.request-id. */
function expectGraphError(response: GraphResponse, status: number, code?: string): void {
  expect(response.status).toBe(status);
  const requestId = response.headers.get('request-id');
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/i);
  expect(response.body).toMatchObject({
    error: {
      code: code ?? expect.any(String),
      message: expect.any(String),
      innerError: { date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/), 'request-id': requestId, 'client-request-id': expect.any(String) },
    },
  });
}

/** Every page from `path` (links checked absolute with `$skiptoken` by graphPages). */
const allPages = (token: string, path: string): Promise<GraphResponse[]> => graphPages(tenant, token, path, 20);

describe('/me', () => {
  test('returns the default property set of the signed-in user, without userType', async () => {
    const me = await get(adele, '/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: USER.adele, displayName: 'Adele Vance', mail: 'adele@contoso.local', userPrincipalName: 'adele@contoso.local' });
    expect(me.body).not.toHaveProperty('userType');
  });

  test('$select=displayName,userType returns exactly those properties', async () => {
    const me = await get(alex, '/me?$select=displayName,userType');
    expect(me.status).toBe(200);
    expect(Object.keys(me.body as object).filter((k) => !k.startsWith('@odata.')).sort()).toEqual(['displayName', 'userType']);
    expect(me.body).toMatchObject({ displayName: 'Alex Wilber', userType: 'Member' });
  });

  test('with an app token is a 400 (only valid with a delegated flow)', async () => {
    for (const token of [botApp, automation]) {
      const response = await get(token, '/me');
      expectGraphError(response, 400);
      expect(response.body.error.message).toMatch(/delegated/i);
    }
  });
});

describe('/users', () => {
  test('$filter startswith on displayName, mail and userPrincipalName', async () => {
    const byName = await get(adele, "/users?$filter=startswith(displayName,'Ad')");
    expect(byName.status).toBe(200);
    expect(ids(byName)).toEqual([USER.adele]);
    const byMail = await get(adele, "/users?$filter=startswith(mail,'lynne@')");
    expect(ids(byMail)).toEqual([USER.lynne]);
    const byUpn = await get(adele, "/users?$filter=startswith(userPrincipalName,'megan@')");
    expect(ids(byUpn)).toEqual([USER.megan]);
  });

  test("$filter userType eq 'Guest' with $select=id,userType returns the guests only", async () => {
    const guests = await get(adele, "/users?$filter=userType eq 'Guest'&$select=id,userType");
    expect(guests.status).toBe(200);
    expect(sorted(ids(guests))).toEqual(sorted(GUESTS));
    expect(guests.body.value).toEqual(GUESTS.map(() => ({ id: expect.any(String), userType: 'Guest' })));
  });

  test('$top limits the page and a $top above 100 is capped to 100', async () => {
    const five = await get(adele, '/users?$top=5');
    expect(five.body.value).toHaveLength(5);
    expect(five.body['@odata.nextLink']).toEqual(expect.stringContaining('$skiptoken='));
    const capped = await get(adele, '/users?$top=150');
    expect(capped.status).toBe(200);
    expect(capped.body.value).toHaveLength(100);
    expect(capped.body['@odata.nextLink']).toEqual(expect.any(String));
  });

  test('an unsupported $filter property is a 400 with the error envelope', async () => {
    const client = randomUUID();
    const response = await get(adele, "/users?$filter=favouriteColour eq 'blue'", { 'client-request-id': client });
    expectGraphError(response, 400);
    expect(response.body.error.innerError['client-request-id']).toBe(client);
  });

  test('pages of 100 linked by absolute nextLinks cover every user once, as many as /users/$count', async () => {
    const pages = await allPages(adele, '/users?$top=100');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.slice(0, -1).every((p) => (p.body.value as unknown[]).length === 100)).toBe(true);
    const all = pages.flatMap(ids);
    expect(new Set(all).size).toBe(all.length);
    const count = await get(adele, '/users/$count', EVENTUAL);
    expect(count.status).toBe(200);
    expect(Number(count.body)).toBe(all.length);
    expect(all.length).toBe(DEMO_TENANT.users.length);
  });

  test('/users/$count without ConsistencyLevel: eventual is a 400', async () => {
    expectGraphError(await get(adele, '/users/$count'), 400);
  });

  test('/users/{id} by object id and by userPrincipalName; unknown id → 404', async () => {
    const byId = await get(adele, `/users/${USER.megan}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ id: USER.megan, userPrincipalName: 'megan@contoso.local' });
    const byUpn = await get(adele, '/users/megan@contoso.local');
    expect(byUpn.status).toBe(200);
    expect(byUpn.body.id).toBe(USER.megan);
    expectGraphError(await get(adele, `/users/${randomUUID()}`), 404);
  });
});

describe('managers', () => {
  test("Alex's manager is Megan for a token with User.Read.All; a user without a manager → 404", async () => {
    const manager = await get(automation, `/users/${USER.alex}/manager`);
    expect(manager.status).toBe(200);
    expect(manager.body).toMatchObject({ id: USER.megan, displayName: 'Megan Bowen' });
    expectGraphError(await get(automation, `/users/${USER.adele}/manager`), 404);
  });

  test('the bot user token (User.ReadBasic.All only) gets 403 on /users/{id}/manager but /me/manager works', async () => {
    expectGraphError(await get(alex, `/users/${USER.alex}/manager`), 403);
    const mine = await get(alex, '/me/manager');
    expect(mine.status).toBe(200);
    expect(mine.body.id).toBe(USER.megan);
  });
});

describe('transitiveMemberOf', () => {
  test("Adele's includes the Identity Governance Administrator directory role", async () => {
    const response = await get(adele, `/users/${USER.adele}/transitiveMemberOf`);
    expect(response.status).toBe(200);
    expect(response.body.value).toContainEqual(expect.objectContaining({
      '@odata.type': '#microsoft.graph.directoryRole', roleTemplateId: '45d8d3c5-c802-45c6-b32a-1d70b5e1e86e', // Identity Governance Administrator
    }));
  });

  test('a token that may not read directory roles (User.Read only) gets them with limited information: type and id', async () => {
    const userRead = await userToken(tenant, USER.adele, 'https://graph.microsoft.com/User.Read');
    const response = await get(userRead, '/me/transitiveMemberOf?$select=id,roleTemplateId');
    expect(response.status).toBe(200);
    const roles = (response.body.value as Array<Record<string, unknown>>).filter((o) => o['@odata.type'] === '#microsoft.graph.directoryRole');
    expect(roles).toHaveLength(1);
    expect(roles[0]?.roleTemplateId ?? null).toBeNull();
    // With RoleManagement.Read.Directory (the bot's delegated permissions) the template id is there.
    const full = await get(adele, '/me/transitiveMemberOf?$select=id,roleTemplateId');
    expect(full.body.value).toContainEqual(expect.objectContaining({ roleTemplateId: '45d8d3c5-c802-45c6-b32a-1d70b5e1e86e' }));
  });

  test("Alex's (/me and /users/{id}) includes the Sales Team group", async () => {
    for (const path of ['/me/transitiveMemberOf', `/users/${USER.alex}/transitiveMemberOf`]) {
      const response = await get(alex, path);
      expect(response.status).toBe(200);
      expect(response.body.value).toContainEqual(expect.objectContaining({ '@odata.type': '#microsoft.graph.group', id: GROUP.salesTeam, displayName: 'Sales Team' }));
    }
  });
});

describe('/groups', () => {
  test("$filter startswith(displayName,'Sales') and groupTypes/any(c:c eq 'Unified')", async () => {
    const sales = await get(adele, "/groups?$filter=startswith(displayName,'Sales')");
    expect(sales.status).toBe(200);
    expect(ids(sales)).toEqual([GROUP.salesTeam]);
    const unified = await get(adele, "/groups?$filter=groupTypes/any(c:c eq 'Unified')");
    expect(unified.status).toBe(200);
    expect(ids(unified)).toEqual(expect.arrayContaining([GROUP.salesTeam, GROUP.projectFalcon]));
    expect(ids(unified)).not.toContain(GROUP.financeApps);
    expect(ids(unified)).not.toContain(GROUP.allStaff);
  });

  test('/groups/{id}: a dynamic group and a team-provisioned group', async () => {
    const allStaff = await get(adele, `/groups/${GROUP.allStaff}`);
    expect(allStaff.status).toBe(200);
    expect(allStaff.body).toMatchObject({ id: GROUP.allStaff, displayName: 'All Staff', membershipRule: demoGroup(GROUP.allStaff).membershipRule });
    expect(allStaff.body.groupTypes).toContain('DynamicMembership');
    const sales = await get(adele, `/groups/${GROUP.salesTeam}`);
    expect(sales.body).toMatchObject({ displayName: 'Sales Team', resourceProvisioningOptions: ['Team'] });
    expect(sales.body.groupTypes).toContain('Unified');
  });

  test('owners: Sales Team → Megan, Project Falcon → none', async () => {
    const sales = await get(adele, `/groups/${GROUP.salesTeam}/owners`);
    expect(sales.status).toBe(200);
    expect(ids(sales)).toEqual([USER.megan]);
    const falcon = await get(adele, `/groups/${GROUP.projectFalcon}/owners`);
    expect(falcon.status).toBe(200);
    expect(falcon.body.value).toEqual([]);
  });

  test('members and transitiveMembers of Sales Team', async () => {
    const expected = sorted(demoGroup(GROUP.salesTeam).members);
    for (const relation of ['members', 'transitiveMembers']) {
      const response = await get(adele, `/groups/${GROUP.salesTeam}/${relation}`);
      expect(response.status).toBe(200);
      expect(sorted(ids(response))).toEqual(expected);
      expect(response.body.value[0]['@odata.type']).toBe('#microsoft.graph.user');
    }
  });

  test("transitiveMembers/microsoft.graph.user?$filter=userType eq 'Guest' → exactly Ramesh and Lynne, no ConsistencyLevel needed", async () => {
    const response = await get(adele, `/groups/${GROUP.salesTeam}/transitiveMembers/microsoft.graph.user?$filter=userType eq 'Guest'`);
    expect(response.status).toBe(200);
    expect(sorted(ids(response))).toEqual(sorted([USER.ramesh, USER.lynne]));
  });

  test('members/$count: Finance Apps 30, All Staff 200; needs ConsistencyLevel: eventual', async () => {
    const finance = await get(adele, `/groups/${GROUP.financeApps}/members/$count`, EVENTUAL);
    expect(finance.status).toBe(200);
    expect(Number(finance.body)).toBe(30);
    const allStaff = await get(adele, `/groups/${GROUP.allStaff}/members/$count`, EVENTUAL);
    expect(Number(allStaff.body)).toBe(200);
    expectGraphError(await get(adele, `/groups/${GROUP.allStaff}/members/$count`), 400);
  });

  test('All Staff members come in two pages of 100, the nextLink followed', async () => {
    const pages = await allPages(adele, `/groups/${GROUP.allStaff}/members`);
    expect(pages.map((p) => (p.body.value as unknown[]).length)).toEqual([100, 100]);
    const all = pages.flatMap(ids);
    expect(new Set(all).size).toBe(200);
    expect(sorted(all)).toEqual(sorted(Array.from({ length: 200 }, (_, i) => staffId(i + 1))));
  });
});

describe('/teams', () => {
  test('Sales Team has a team; Finance Apps does not → 404', async () => {
    const team = await get(adele, `/teams/${GROUP.salesTeam}`);
    expect(team.status).toBe(200);
    expect(team.body).toMatchObject({ id: GROUP.salesTeam, displayName: 'Sales Team' });
    expectGraphError(await get(adele, `/teams/${GROUP.financeApps}`), 404);
  });
});

describe('authentication', () => {
  test('no token, a garbage token or the SSO token (audience api://botid-…) → 401 InvalidAuthenticationToken', async () => {
    expectGraphError(await get(undefined, '/users'), 401, 'InvalidAuthenticationToken');
    expectGraphError(await get('not-a-jwt', '/users'), 401, 'InvalidAuthenticationToken');
    const sso = await ssoToken(tenant, USER.adele);
    expect((jwt.decode(sso) as jwt.JwtPayload).aud).toBe(`api://botid-${BOT_APP_ID}`);
    expectGraphError(await get(sso, '/me'), 401, 'InvalidAuthenticationToken');
  });

  test('a token signed with another key → 401, even with the provider\'s kid', async () => {
    const real = jwt.decode(adele, { complete: true });
    const claims = { ...(real?.payload as jwt.JwtPayload) };
    const secret = randomBytes(32).toString('hex');
    const withoutKid = jwt.sign(claims, secret);
    const withKid = jwt.sign(claims, secret, { keyid: String(real?.header.kid) });
    for (const forged of [withoutKid, withKid]) {
      expectGraphError(await get(forged, '/me'), 401, 'InvalidAuthenticationToken');
    }
    expect((await get(adele, '/me')).status).toBe(200);
  });

  test("the bot's app token can list groups and users", async () => {
    const groups = await get(botApp, '/groups');
    expect(groups.status).toBe(200);
    expect(ids(groups)).toEqual(expect.arrayContaining(Object.values(GROUP)));
    const users = await get(botApp, '/users?$top=10');
    expect(users.status).toBe(200);
    expect(users.body.value).toHaveLength(10);
  });
});

describe('routing errors', () => {
  test('an unknown segment → 400, a wrong method on a known path → 405, both with the envelope', async () => {
    expectGraphError(await get(adele, '/nothingHere'), 400);
    expectGraphError(await graph(tenant, adele, 'DELETE', '/users'), 405);
    expectGraphError(await graph(tenant, adele, 'POST', `/groups/${GROUP.salesTeam}/owners`, {}), 405);
  });
});
