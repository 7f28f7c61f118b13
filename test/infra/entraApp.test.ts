import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { graphScopes } from '../../bot/auth/tokenProvider';
import { fakeAz, runRegisterApp } from '../support/fakeAz';

/** infra/entra-app.json (Graph application format, with placeholders) and infra/register-app.sh. */
const ROOT = resolve(__dirname, '..', '..');
const INFRA = join(ROOT, 'infra');
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const TEAMS_CLIENTS = ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Access { id: string; type: 'Scope' | 'Role' }
interface Manifest {
  signInAudience: string;
  identifierUris: string[];
  api: {
    requestedAccessTokenVersion: number;
    oauth2PermissionScopes: Array<{ id: string; value: string; isEnabled: boolean; type: string }>;
    preAuthorizedApplications: Array<{ appId: string; delegatedPermissionIds: string[] }>;
  };
  web: { redirectUris: string[] };
  requiredResourceAccess: Array<{ resourceAppId: string; resourceAccess: Access[] }>;
}
interface Permission { name: string; type: 'Scope' | 'Role'; id: string }

const template = readFileSync(join(INFRA, 'entra-app.json'), 'utf8');
const manifest = JSON.parse(template) as Manifest;
const permissions = (JSON.parse(readFileSync(join(INFRA, 'graph-permissions.json'), 'utf8')) as { permissions: Permission[] }).permissions;
const script = readFileSync(join(INFRA, 'register-app.sh'), 'utf8');

/** The delegated permissions the bot asks for at run time, by name (tokenProvider's list, through its exported scopes). */
const delegatedNames = graphScopes({ localMode: true, graphBaseUrl: '' }).delegated.map((scope) => scope.replace('https://graph.microsoft.com/', ''));
/** The application permissions README's registration step lists (its permissions table: "| `Name` | application | …"). */
const readmeAppRoles = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/^\| `([^`]+)` \| application \|/gm)].map((m) => m[1]);
const idOf = (name: string, type: 'Scope' | 'Role'): string | undefined => permissions.find((p) => p.name === name && p.type === type)?.id;
const graphAccess = (): Access[] => manifest.requiredResourceAccess.find((entry) => entry.resourceAppId === GRAPH_APP_ID)?.resourceAccess ?? [];

describe('infra/entra-app.json', () => {
  test('a single-tenant app with the Teams SSO shape: api://botid-<app id>, access_as_user, v2 tokens, /auth/end', () => {
    expect(manifest.signInAudience).toBe('AzureADMyOrg');
    expect(manifest.identifierUris).toEqual(['api://botid-{{AppId}}']);
    expect(manifest.api.requestedAccessTokenVersion).toBe(2);
    expect(manifest.api.oauth2PermissionScopes).toEqual([expect.objectContaining({ value: 'access_as_user', isEnabled: true, type: 'User', id: '{{AccessAsUserScopeId}}' })]);
    expect(manifest.web.redirectUris).toEqual(['https://{{Domain}}/auth/end']);
  });

  test('the Teams desktop/mobile and web clients are pre-authorized for access_as_user', () => {
    const scopeId = manifest.api.oauth2PermissionScopes[0]?.id;
    expect(manifest.api.preAuthorizedApplications.map((client) => client.appId).sort()).toEqual([...TEAMS_CLIENTS].sort());
    for (const client of manifest.api.preAuthorizedApplications) expect(client.delegatedPermissionIds).toEqual([scopeId]);
  });

  test('its delegated Graph permissions are exactly the ones the bot asks for (bot/auth/tokenProvider.ts)', () => {
    expect(delegatedNames).toHaveLength(5);
    const expected = delegatedNames.map((name) => ({ name, id: idOf(name, 'Scope') }));
    expect(expected.filter((item) => item.id === undefined)).toEqual([]);
    const scopes = graphAccess().filter((access) => access.type === 'Scope').map((access) => access.id);
    expect([...scopes].sort()).toEqual(expected.map((item) => item.id).sort());
  });

  test('its application Graph permissions are the ones README\'s registration step names (scheduled work)', () => {
    expect(readmeAppRoles).toEqual(['AccessReview.Read.All', 'Group.Read.All']);
    const roles = graphAccess().filter((access) => access.type === 'Role').map((access) => access.id);
    expect([...roles].sort()).toEqual(readmeAppRoles.map((name) => idOf(name, 'Role')).sort());
  });

  test('Microsoft Graph is the only resource; every permission id is a GUID listed once', () => {
    expect(manifest.requiredResourceAccess.map((entry) => entry.resourceAppId)).toEqual([GRAPH_APP_ID]);
    for (const permission of permissions) expect({ name: permission.name, id: GUID.test(permission.id) }).toEqual({ name: permission.name, id: true });
    expect(new Set(permissions.map((p) => p.id)).size).toBe(permissions.length);
    expect(new Set(graphAccess().map((a) => a.id)).size).toBe(graphAccess().length);
  });

  test('the permission ids are Microsoft\'s published ones (pinned: a changed id must be checked again)', () => {
    // From Microsoft's permissions reference (learn.microsoft.com/graph/permissions-reference, generated from
    // microsoftgraph/microsoft-graph-docs-contrib concepts/includes/permissions-ids.md): name, type, id.
    const published: Permission[] = [
      { name: 'AccessReview.ReadWrite.All', type: 'Scope', id: 'e4aa47b9-9a69-4109-82ed-36ec70d85ff1' },
      { name: 'Group.Read.All', type: 'Scope', id: '5f8c59db-677d-491f-a6b8-5f174b11ec1d' },
      { name: 'User.ReadBasic.All', type: 'Scope', id: 'b340eb25-3456-403f-be2f-af7a0d370277' },
      { name: 'User.Read', type: 'Scope', id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d' },
      { name: 'RoleManagement.Read.Directory', type: 'Scope', id: '741c54c3-0c1e-44a1-818b-3f97ab4e8c83' },
      { name: 'AccessReview.Read.All', type: 'Role', id: 'd07a8cc0-3d51-4b77-b3b0-32704d1f69fa' },
      { name: 'Group.Read.All', type: 'Role', id: '5b567255-7703-4780-807c-7be8301ae99b' },
    ];
    expect(permissions).toEqual(published);
    expect([...graphAccess()].sort((a, b) => a.id.localeCompare(b.id))).toEqual(published.map(({ id, type }) => ({ id, type })).sort((a, b) => a.id.localeCompare(b.id)));
  });

  test('the placeholders are the only non-JSON-value parts: filled in, it is still valid JSON', () => {
    expect([...new Set(template.match(/\{\{\w+\}\}/g))].sort()).toEqual(['{{AccessAsUserScopeId}}', '{{AppId}}', '{{Domain}}']);
    const filled = template.replaceAll('{{AppId}}', 'a').replaceAll('{{Domain}}', 'bot.example').replaceAll('{{AccessAsUserScopeId}}', 's');
    expect(() => JSON.parse(filled) as unknown).not.toThrow();
  });
});

describe('infra/register-app.sh', () => {
  test('is strict bash and ends by printing the admin-consent URL', () => {
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toMatch(/^set -euo pipefail$/m);
    const lines = script.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('echo "https://login.microsoftonline.com/$tenant/adminconsent?client_id=$app_id"');
  });

  test('bash -n accepts it', () => {
    expect(() => execFileSync('bash', ['-n', join(INFRA, 'register-app.sh')], { stdio: 'pipe' })).not.toThrow();
  });

  const hasJq = spawnSync('jq', ['--version']).status === 0;
  if (!hasJq) console.log('register-app.sh dry run skipped: jq is not installed on this machine');
  (hasJq ? test : test.skip)('against a stand-in az: creates, patches in two steps, makes the service principal and a secret, prints consent last', () => {
    const dir = fakeAz();
    const run = runRegisterApp(dir, 'bot.contoso.example');
    rmSync(dir, { recursive: true, force: true });
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.calls.map((args) => args.slice(0, 3).join(' '))).toEqual(['account show --query', 'ad app create', 'ad app show', 'rest --method PATCH', 'rest --method PATCH', 'ad sp create', 'ad app credential']);
    const bodies = run.bodies as Manifest[];
    expect(bodies).toHaveLength(2);
    const [first, second] = bodies as [Manifest, Manifest];
    expect(first.identifierUris).toEqual(['api://botid-11111111-1111-4111-8111-111111111111']);
    expect(first.web.redirectUris).toEqual(['https://bot.contoso.example/auth/end']);
    expect(first.api.preAuthorizedApplications).toBeUndefined();
    const scopeId = first.api.oauth2PermissionScopes[0]?.id ?? '';
    expect(scopeId).toMatch(GUID);
    expect(Object.keys(second)).toEqual(['api']);
    expect(second.api.preAuthorizedApplications.map((client) => client.delegatedPermissionIds)).toEqual([[scopeId], [scopeId]]);
    const output = run.stdout.trimEnd().split('\n');
    expect(run.stdout).toContain('MicrosoftAppId=11111111-1111-4111-8111-111111111111');
    expect(run.stdout).toContain('PUBLIC_BASE_URL=https://bot.contoso.example');
    expect(output.at(-1)).toBe('https://login.microsoftonline.com/99999999-9999-4999-8999-999999999999/adminconsent?client_id=11111111-1111-4111-8111-111111111111');
  });

  test('refuses a host name with a scheme or path before calling az', () => {
    const run = spawnSync('bash', [join(INFRA, 'register-app.sh'), 'https://bot.example/x'], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('bare lowercase host');
  });
});
