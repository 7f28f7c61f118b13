import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { SsoService } from '../../../bot/auth/ssoService';
import { authFailureDetails, MsalTokenProvider } from '../../../bot/auth/tokenProvider';
import { loadConfig } from '../../../bot/config';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';
import { USER } from '../../../dev/tenant/tenant';
import { ssoToken, startLocalTenant, type LocalTenant } from '../../support/localTenant';
import { captureLog, JWT_SHAPED } from './logCapture';

/**
 * Issue 14 item 5: a refused SSO exchange is logged with what Entra said (the AADSTS code, msal's errorCode and
 * subError, the correlation id), never the token: one line per refusal, info for consent (the normal first run),
 * warn for anything else. Against the local identity provider, which answers with Entra's error shapes.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let tenant: LocalTenant;
let storage: SqliteStorage;
beforeAll(async () => {
  tenant = await startLocalTenant();
  storage = new SqliteStorage(':memory:', { now: () => Date.parse('2026-06-01T00:00:00Z') });
});
afterAll(async () => {
  await storage.close();
  await tenant.dispose();
});

async function service(env: Record<string, string> = {}): Promise<{ sso: SsoService; capture: ReturnType<typeof captureLog> }> {
  const capture = captureLog();
  const config = loadConfig({ AAD_METADATA_URL: `${tenant.idp}/.well-known/openid-configuration`, SSO_MODE: 'teams', ...env });
  return { sso: new SsoService(config, await MsalTokenProvider.create(config, capture.log), storage, capture.log), capture };
}

const refusals = (capture: ReturnType<typeof captureLog>): Array<Record<string, unknown>> => capture.records().filter((r) => r.msg === 'SSO exchange refused');

test('consent missing (AADSTS65001): one info line with invalid_grant / consent_required and a correlation id, no token', async () => {
  const { sso, capture } = await service();
  const token = await ssoToken(tenant, USER.pradeep);
  expect(await sso.exchange(token, USER.pradeep)).toEqual({ kind: 'failed', code: 'ConsentRequired' });
  const lines = refusals(capture);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({
    level: 30, code: 'ConsentRequired', userId: USER.pradeep, aadsts: 'AADSTS65001', errorCode: 'invalid_grant', subError: 'consent_required',
    correlationId: expect.stringMatching(UUID) as string,
  });
  expect(capture.text()).not.toContain(token);
  expect(capture.text()).not.toMatch(JWT_SHAPED);
});

test('an expired SSO token (AADSTS50013): one warn line, InvalidSsoToken, no token', async () => {
  const { sso, capture } = await service();
  const token = await ssoToken(tenant, USER.lee, -120);
  expect(await sso.exchange(token, USER.lee)).toEqual({ kind: 'failed', code: 'InvalidSsoToken' });
  expect(refusals(capture)).toEqual([expect.objectContaining({ level: 40, code: 'InvalidSsoToken', aadsts: 'AADSTS50013', errorCode: 'invalid_grant' })]);
  expect(capture.text()).not.toMatch(JWT_SHAPED);
});

test('a wrong client secret (AADSTS7000215, e.g. the secret\'s id pasted instead of its value): warn line with invalid_client', async () => {
  const { sso, capture } = await service({ AAD_CLIENT_SECRET: '0a1b2c3d-secret-id-not-value' });
  const token = await ssoToken(tenant, USER.adele);
  expect(await sso.exchange(token, USER.adele)).toEqual({ kind: 'failed', code: 'InvalidSsoToken' });
  expect(refusals(capture)).toEqual([expect.objectContaining({ level: 40, aadsts: 'AADSTS7000215', errorCode: 'invalid_client' })]);
  expect(capture.text()).not.toContain('0a1b2c3d-secret-id-not-value');
  expect(capture.text()).not.toMatch(JWT_SHAPED);
});

describe('authFailureDetails (msal errors Entra produces that the local tenant does not)', () => {
  const CORRELATION = '0f1e2d3c-4b5a-4697-8877-665544332211';
  test.each<[string, unknown, Record<string, string>]>([
    ['Conditional Access MFA (AADSTS50076)', new InteractionRequiredAuthError('invalid_grant', CORRELATION,
      'AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication. Trace ID: x Correlation ID: y', 'basic_action', '', '', '{"access_token":{}}', '50076'),
    { aadsts: 'AADSTS50076', errorCode: 'invalid_grant', subError: 'basic_action', correlationId: CORRELATION }],
    ['Conditional Access policy block (AADSTS53003)', new ServerError('access_denied', CORRELATION, 'AADSTS53003: Access has been blocked by Conditional Access policies.', undefined, '53003', 400),
      { aadsts: 'AADSTS53003', errorCode: 'access_denied', correlationId: CORRELATION }],
    ['resource not in the tenant (AADSTS500011), code only in the message', new ServerError('invalid_resource', '', `AADSTS500011: The resource principal named api://botid-x was not found. Correlation ID: ${CORRELATION} Timestamp: 2026`),
      { aadsts: 'AADSTS500011', errorCode: 'invalid_resource', correlationId: CORRELATION }],
    ['not an msal error', new Error('socket hang up'), {}],
    ['nothing', undefined, {}],
  ])('%s', (_name, error, expected) => {
    expect(authFailureDetails(error)).toEqual(expected);
  });
});
