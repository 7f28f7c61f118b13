import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { AUTOMATION_APP_ID, AUTOMATION_APP_SECRET, BOT_APP_ID, BOT_APP_SECRET, TENANT_ID } from '../../dev/tenant/tenant';

const ROOT = resolve(__dirname, '..', '..');

/** A local tenant (identity provider + Graph emulator) running in its own process, as `npm start` runs it. */
export interface LocalTenant {
  idp: string;
  graph: string;
  authority: string;
  issuer: string;
  authorityMetadata: string;
  dataDir: string;
  /** Stops the process (SIGTERM, or SIGKILL to simulate a crash); the data directory stays. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops, then removes the data directory. */
  dispose(): Promise<void>;
}

/**
 * Starts `dev/localTenantMain.ts` on free ports with its own data directory (a fresh one unless given),
 * and resolves when it prints its ready line.
 */
export async function startLocalTenant(options: { dataDir?: string } = {}): Promise<LocalTenant> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'local-tenant-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'dev', 'localTenantMain.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOCAL_DATA_DIR: dataDir, LOCAL_IDP_PORT: '0', LOCAL_GRAPH_PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const ready = await new Promise<Record<string, string>>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`local tenant did not start in 30 s: ${stderr}`)), 30_000);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolveReady(JSON.parse(line) as Record<string, string>);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local tenant exited with ${String(code)}: ${stderr}`));
    });
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    idp: ready.idp ?? '', graph: ready.graph ?? '', authority: ready.authority ?? '', issuer: ready.issuer ?? '',
    authorityMetadata: ready.authorityMetadata ?? '', dataDir, stop,
    dispose: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The SSO token Teams would hand the bot for `user` (object id or UPN). */
export async function ssoToken(tenant: LocalTenant, user: string, expiresInSeconds?: number): Promise<string> {
  const response = await fetch(`${tenant.idp}/dev/sso-token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, expiresInSeconds }),
  });
  if (!response.ok) throw new Error(`sso-token for ${user}: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

/** A raw token request to the identity provider (form post), as msal-node sends it. */
export async function tokenRequest(tenant: LocalTenant, form: Record<string, string>): Promise<TokenResponse> {
  const response = await fetch(`${tenant.idp}/${TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A delegated Graph token for `user` through the bot (SSO token → on-behalf-of), with `scope` (default: .default). */
export async function userToken(tenant: LocalTenant, user: string, scope = 'https://graph.microsoft.com/.default'): Promise<string> {
  const result = await tokenRequest(tenant, {
    client_id: BOT_APP_ID, client_secret: BOT_APP_SECRET, grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    requested_token_use: 'on_behalf_of', scope, assertion: await ssoToken(tenant, user),
  });
  if (result.status !== 200) throw new Error(`OBO for ${user}: ${JSON.stringify(result.body)}`);
  return String(result.body.access_token);
}

/** An app-only Graph token (client credentials): the bot's own by default, or the automation app's. */
export async function appToken(tenant: LocalTenant, app: 'bot' | 'automation' = 'bot'): Promise<string> {
  const [clientId, secret] = app === 'bot' ? [BOT_APP_ID, BOT_APP_SECRET] : [AUTOMATION_APP_ID, AUTOMATION_APP_SECRET];
  const result = await tokenRequest(tenant, {
    client_id: clientId, client_secret: secret, grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default',
  });
  if (result.status !== 200) throw new Error(`client credentials for ${app}: ${JSON.stringify(result.body)}`);
  return String(result.body.access_token);
}

export interface GraphResponse {
  status: number;
  headers: Headers;
  // Tests read Graph JSON loosely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Calls the Graph emulator: `path` is relative to `/v1.0` (or absolute, e.g. an `@odata.nextLink`). */
export async function graph(tenant: LocalTenant, token: string | undefined, method: string, path: string,
  body?: unknown, headers: Record<string, string> = {}): Promise<GraphResponse> {
  const url = /^https?:/.test(path) ? path : `${tenant.graph}/v1.0${path}`;
  const response = await fetch(url, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Calls an emulator control route (`/_emulator/...`). */
export async function control(tenant: LocalTenant, method: string, path: string, body?: unknown): Promise<GraphResponse> {
  return graph(tenant, undefined, method, `${tenant.graph}/_emulator${path}`, body);
}

export const REVIEWS = '/identityGovernance/accessReviews/definitions';

/**
 * Every page of a Graph collection from `path`, following `@odata.nextLink`: each page must be a 200 and each
 * link absolute on the emulator with a `$skiptoken` (as Graph's are).
 */
export async function graphPages(tenant: LocalTenant, token: string, path: string, maxPages = 2000): Promise<GraphResponse[]> {
  const pages: GraphResponse[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const page = await graph(tenant, token, 'GET', next);
    if (page.status !== 200) throw new Error(`GET ${next} → ${page.status} ${JSON.stringify(page.body)}`);
    pages.push(page);
    next = page.body['@odata.nextLink'] as string | undefined;
    if (next !== undefined && (!next.startsWith(`${tenant.graph}/v1.0/`) || !next.includes('$skiptoken='))) {
      throw new Error(`not an absolute nextLink with $skiptoken: ${next}`);
    }
    if (pages.length > maxPages) throw new Error(`paging of ${path} does not end`);
  }
  return pages;
}

/** Every item of a Graph collection (all pages). */
export async function graphItems<T>(tenant: LocalTenant, token: string, path: string): Promise<T[]> {
  return (await graphPages(tenant, token, path)).flatMap((page) => page.body.value as T[]);
}

/** A Graph answer has `status`; errors also carry Graph's envelope with a code. */
export function expectGraphStatus(response: GraphResponse, status: number): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status });
  if (status >= 400) expect(typeof response.body?.error?.code).toBe('string');
}
