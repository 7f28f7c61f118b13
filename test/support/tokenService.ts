import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BOT_APP_ID, BOT_APP_SECRET, TENANT_ID } from '../../dev/tenant/tenant';
import { ssoToken, type LocalTenant } from './localTenant';

/** An Azure Bot OAuth connection as the token service knows it (Azure AD v2 with token exchange). */
export interface OAuthConnection {
  name: string;
  /** The connection's Token Exchange URL: the bot's Application ID URI (a mismatch is Teams' `resourcematchfailed`). */
  tokenExchangeUrl: string;
  /** The connection's scopes, asked for in the on-behalf-of exchange. */
  scopes: string;
}

/** One request the token service received (never its token). */
export interface TokenServiceRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Whether it came with an Authorization header (the bot's own token, when it has an app id). */
  authorized: boolean;
}

export interface TokenServiceSimulator {
  url: string;
  requests: TokenServiceRequest[];
  /** The tokens it keeps: `${userId}|${connectionName}|${channelId}`. */
  held(): string[];
  /**
   * What the user does on the sign-in link's page (Entra ID sign-in and consent): the token service gets their token
   * and shows a magic code, which Teams then sends as `signin/verifyState` (or a card action's `state`).
   */
  completeSignIn(signInLink: string, user: string): Promise<string>;
  stop(): Promise<void>;
}

interface TokenExchangeState {
  connectionName?: string;
  conversation?: { user?: { id?: string }; channelId?: string };
}

interface Held { token: string; expiration: string }

/**
 * The Bot Framework token service (token.botframework.com) as the bot's UserTokenClient reaches it, over real HTTP on
 * 127.0.0.1: `GET api/botsignin/GetSignInResource`, `POST api/usertoken/exchange`, `GET api/usertoken/GetToken`,
 * `DELETE api/usertoken/SignOut` (botframework-connector's tokenApi operation specs). Like the real one it runs the
 * connection's on-behalf-of exchange at the identity provider (the local tenant's, `tenant()`: known only once the stack started) with the connection's
 * client credentials, keeps the user's token per Bot Framework user id, connection and channel, hands it over again
 * until it expires, and redeems the magic code of its own sign-in page. A refused exchange answers 400 with an
 * ErrorResponse carrying the identity provider's description (its AADSTS code); the real service's wording is not
 * documented.
 */
export async function startTokenService(tenant: () => LocalTenant, connections: OAuthConnection[]): Promise<TokenServiceSimulator> {
  const requests: TokenServiceRequest[] = [];
  const held = new Map<string, Held>();
  /** Sign-in pages handed out: their id → the state (user, connection) they were made for. */
  const pages = new Map<string, { userId: string; connectionName: string; channelId: string }>();
  /** Magic codes shown after a sign-in: code → the token, for that user and connection only. */
  const codes = new Map<string, { key: string; held: Held }>();
  const connection = (name: string | undefined): OAuthConnection | undefined => connections.find((c) => c.name === name);
  const keyOf = (q: Record<string, string>): string => `${q.userId ?? ''}|${q.connectionName ?? ''}|${q.channelId ?? ''}`;

  async function onBehalfOf(assertion: string, conn: OAuthConnection): Promise<Held | { error: string }> {
    const response = await fetch(`${tenant().idp}/${TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: BOT_APP_ID, client_secret: BOT_APP_SECRET, grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of', scope: conn.scopes, assertion,
      }).toString(),
    });
    const body = (await response.json()) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!response.ok || body.access_token === undefined) return { error: body.error_description ?? body.error ?? `identity provider answered ${response.status}` };
    return { token: body.access_token, expiration: new Date(Date.now() + (body.expires_in ?? 3600) * 1000).toISOString() };
  }

  const json = (res: ServerResponse, status: number, body?: unknown): void => {
    res.statusCode = status;
    if (body === undefined) {
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  };
  const errorBody = (code: string, message: string): unknown => ({ error: { code, message } });
  const tokenResponse = (q: Record<string, string>, h: Held): unknown => ({ channelId: q.channelId, connectionName: q.connectionName, token: h.token, expiration: h.expiration });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const q = Object.fromEntries(url.searchParams.entries());
    const path = url.pathname.replace(/\/+/g, '/');
    requests.push({ method: req.method ?? '', path, query: Object.fromEntries(Object.entries(q).filter(([k]) => k !== 'code' && k !== 'state')), authorized: req.headers.authorization !== undefined });
    let text = '';
    for await (const chunk of req) text += String(chunk);
    if (req.method === 'GET' && path === '/api/botsignin/GetSignInResource') {
      let state: TokenExchangeState;
      try {
        state = JSON.parse(Buffer.from(q.state ?? '', 'base64').toString('utf8')) as TokenExchangeState;
      } catch {
        json(res, 400, errorBody('BadArgument', 'state is not base64 JSON'));
        return;
      }
      const conn = connection(state.connectionName);
      if (conn === undefined) {
        json(res, 400, errorBody('BadArgument', `no OAuth connection named ${state.connectionName ?? ''}`));
        return;
      }
      const page = randomUUID();
      pages.set(page, { userId: state.conversation?.user?.id ?? '', connectionName: conn.name, channelId: state.conversation?.channelId ?? 'msteams' });
      json(res, 200, {
        signInLink: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/oauth/signin?signin=${page}`,
        tokenExchangeResource: { id: randomUUID(), uri: conn.tokenExchangeUrl, providerId: 'sim-aadv2' },
        tokenPostResource: { sasUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/sas/${page}` },
      });
      return;
    }
    if (req.method === 'POST' && path === '/api/usertoken/exchange') {
      const conn = connection(q.connectionName);
      if (conn === undefined) {
        json(res, 400, errorBody('BadArgument', `no OAuth connection named ${q.connectionName ?? ''}`));
        return;
      }
      const assertion = (JSON.parse(text || '{}') as { token?: string }).token;
      if (typeof assertion !== 'string' || assertion === '') {
        json(res, 400, errorBody('BadArgument', 'token is required'));
        return;
      }
      const result = await onBehalfOf(assertion, conn);
      if ('error' in result) {
        json(res, 400, errorBody('ServiceError', result.error));
        return;
      }
      held.set(keyOf(q), result);
      json(res, 200, tokenResponse(q, result));
      return;
    }
    if (req.method === 'GET' && path === '/api/usertoken/GetToken') {
      const key = keyOf(q);
      const code = url.searchParams.get('code');
      if (code !== null && code !== '') {
        const pending = codes.get(code);
        if (pending?.key === key) {
          codes.delete(code);
          held.set(key, pending.held);
        }
      }
      const h = held.get(key);
      if (h === undefined || Date.parse(h.expiration) <= Date.now()) {
        held.delete(key);
        json(res, 404);
        return;
      }
      json(res, 200, tokenResponse(q, h));
      return;
    }
    if (req.method === 'DELETE' && path === '/api/usertoken/SignOut') {
      held.delete(keyOf(q));
      json(res, 200, {});
      return;
    }
    json(res, 404, errorBody('NotFound', `${req.method ?? ''} ${path}`));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => json(res, 500, errorBody('ServiceError', String(error))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    held: () => [...held.keys()],
    async completeSignIn(signInLink, user) {
      const page = pages.get(new URL(signInLink).searchParams.get('signin') ?? '');
      if (page === undefined) throw new Error(`no such sign-in page: ${signInLink}`);
      const conn = connection(page.connectionName);
      if (conn === undefined) throw new Error(`no connection ${page.connectionName}`);
      const result = await onBehalfOf(await ssoToken(tenant(), user), conn);
      if ('error' in result) throw new Error(`sign-in refused: ${result.error}`);
      const code = String(randomInt(100_000, 1_000_000));
      codes.set(code, { key: `${page.userId}|${page.connectionName}|${page.channelId}`, held: result });
      return code;
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
