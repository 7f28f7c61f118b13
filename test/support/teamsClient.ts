/**
 * A simulated Microsoft Teams for end-to-end tests of the bot: it posts Teams-shaped activities to the bot's
 * messaging endpoint and plays the Bot Connector service the bot calls back (serviceUrl), recording every call.
 * Platform reference: /work/shared/reference/teams-platform.md sections 1, 3 and 4.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorLimits, type Metered } from './connectorLimits';
import { ssoToken, type LocalTenant } from './localTenant';
import {
  account, adaptiveCardsOf, attachmentsOf, connectorError, DEFAULT_ROSTER, findChannel, findMember, installActivities, invokeActivity,
  isObject, loginRequestOf, membersPage, messageActivity, oauthCardOf, parseJson, personalChatId, SALES_TEAM, stringField, teamChannels,
  teamDetails, teamEventActivity, textOf, USERS,
  type Attachment, type JsonObject, type Scope, type TeamsActivity, type TeamsTeam, type TeamsUser, type WireContext,
} from './teamsActivities';

import { consentCardOf, FileSink } from './teamsFiles';

export * from './teamsActivities';
export * from './teamsFiles';

export interface TeamsClientOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages (loopback only). */
  botUrl: string;
  tenantId: string;
  botId: string;
  /** The bot's display name, used in @mentions (default 'Access Reviews'). */
  botName?: string;
  /** A bearer token for activities sent to the bot (none when absent). */
  channelToken?: () => Promise<string>;
  /** The teams the bot can be in (default: Sales Team with General and Governance). */
  teams?: TeamsTeam[];
  /** The default roster of every conversation (default: the Playground's seven users). */
  roster?: readonly TeamsUser[];
  /** Enforce Teams' rate limits (connectorLimits.ts): 429 with Retry-After past them (default true). */
  enforceLimits?: boolean;
  /** The connector's clock for its rate limits and call times (default Date.now). */
  now?: () => number;
}

/**
 * One HTTP call the bot made to the connector (path with ids decoded), answered at `at` (the connector's clock);
 * `injected` when failNext made it fail, `throttled` when a rate limit answered 429.
 */
export interface ConnectorCall {
  method: string; path: string; query: Record<string, string>; body: unknown; headers: IncomingHttpHeaders; status: number; injected: boolean;
  at: number; throttled: boolean;
}

/** An activity the bot sent (send, reply, new conversation) or updated through the connector. */
export interface SentActivity {
  kind: 'send' | 'reply' | 'create' | 'update';
  /** The id the connector assigned (or, for updates, the id updated). */
  id: string;
  conversationId: string;
  replyToId?: string;
  activity: JsonObject;
}

export interface DeletedActivity { conversationId: string; activityId: string }

/** The bot's HTTP answer (for invokes, the invoke response), with the activity that was posted. */
export interface Delivery { status: number; body: unknown; activity: TeamsActivity }

/** The bot's answers to the two activities of an install or uninstall. */
export interface Installation { conversationUpdate: Delivery; installationUpdate: Delivery }

/** An Action.Execute click: the card's activity id, the verb and data, and optionally where the card is. */
export interface CardAction { activityId: string; verb: string; data: unknown; scope?: Scope }

type CallMatcher = (call: { method: string; path: string }) => boolean;
interface Failure { status: number; remaining: number; retryAfter?: number; match?: CallMatcher }
interface Reply { status: number; body?: unknown; headers?: Record<string, string> }
const ok = (body?: unknown): Reply => ({ status: 200, body });

const error = (status: number, message: string, code?: string): Reply => ({ status, body: connectorError(status, message, code) });

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A simulated Teams client plus Bot Connector service; see the file comment. */
export class TeamsClient {
  /** Every connector call, in order (including failed ones). */
  readonly calls: ConnectorCall[] = [];
  /** Every activity the bot sent or updated, in order. */
  readonly activities: SentActivity[] = [];
  readonly deletes: DeletedActivity[] = [];
  /** Every activity this client posted to the bot, in order. */
  readonly posted: TeamsActivity[] = [];
  readonly teams: readonly TeamsTeam[];
  /** The users' OneDrive upload sessions of the file flow (teamsFiles.ts), served on this client's own server. */
  readonly files: FileSink;
  private readonly events = new EventEmitter().setMaxListeners(100);
  private readonly failures: Failure[] = [];
  /** Activity id → conversation id of every message the bot posted and did not delete (kept by clear()). */
  private readonly live = new Map<string, string>();
  private readonly rosters = new Map<string, readonly TeamsUser[]>();
  private readonly limits = new ConnectorLimits();
  /** Conversations, chats or teams (by id) the bot was removed from: 403 or 404 to any call there. */
  private readonly removed = new Map<string, 403 | 404>();
  private readonly now: () => number;
  private readonly server: Server;
  private readonly ctx: WireContext;
  private defaultRoster: readonly TeamsUser[];
  private seq = Date.now();

  private constructor(private readonly options: TeamsClientOptions) {
    const host = new URL(options.botUrl).hostname;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) throw new Error(`botUrl must be on loopback, not ${host}`);
    this.teams = options.teams ?? [SALES_TEAM];
    this.defaultRoster = options.roster ?? DEFAULT_ROSTER;
    this.now = options.now ?? Date.now;
    this.files = new FileSink(() => this.serviceUrl);
    this.server = createServer((request, response) => void this.onRequest(request, response));
    // Teams' connector keeps an idle keep-alive connection open for minutes (Azure's load balancers: 4 by default);
    // Node's 5 s default closed it between two ticks of the bot, and a post written as it closed was reset
    // (ECONNRESET "socket hang up": an unconfirmed post), which Teams itself would not do.
    this.server.keepAliveTimeout = 120_000;
    this.server.headersTimeout = 125_000;
    this.ctx = {
      serviceUrl: '', tenantId: options.tenantId, botId: options.botId, botName: options.botName ?? 'Access Reviews',
      teams: this.teams, nextId: () => String(++this.seq),
    };
  }

  /** Starts the connector on 127.0.0.1 (free port). */
  static async start(options: TeamsClientOptions): Promise<TeamsClient> {
    const client = new TeamsClient(options);
    await new Promise<void>((resolve, reject) => {
      client.server.once('error', reject);
      client.server.listen(0, '127.0.0.1', () => resolve());
    });
    client.ctx.serviceUrl = `http://127.0.0.1:${(client.server.address() as AddressInfo).port}/`;
    return client;
  }

  /** The connector's base URL (ends with '/'), put in every activity as serviceUrl. */
  get serviceUrl(): string {
    return this.ctx.serviceUrl;
  }

  /** Closes the connector, dropping keep-alive connections. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Activities the bot sent (not updates). */
  get sent(): SentActivity[] {
    return this.activities.filter((sent) => sent.kind !== 'update');
  }

  /** Activities the bot updated (PUT). */
  get updates(): SentActivity[] {
    return this.activities.filter((sent) => sent.kind === 'update');
  }

  /**
   * Forgets recorded calls, activities, deletes, posts, pending failures, rate-limit history and removed bots (ids of
   * live messages stay known).
   */
  clear(): void {
    for (const list of [this.calls, this.activities, this.deletes, this.posted, this.failures]) list.length = 0;
    this.limits.clear();
    this.removed.clear();
  }

  /** Connector calls that posted or updated a message (POST or PUT on activities, answered 2xx), in order. */
  acceptedPosts(): ConnectorCall[] {
    return this.calls.filter((call) => (call.method === 'POST' || call.method === 'PUT') && call.status < 300 && /\/activities(\/|$)/.test(call.path));
  }

  /**
   * Removes the bot from a conversation, chat or team (by id; a team's id covers all its channels) as Teams does when
   * the app is uninstalled: every connector call there answers 403 BotNotInConversationRoster, or 404
   * ConversationNotFound (a deleted channel or chat) when `status` is 404.
   */
  removeBot(conversationOrTeamId: string, status: 403 | 404 = 403): void {
    this.removed.set(conversationOrTeamId.split(';')[0] ?? conversationOrTeamId, status);
  }

  /** Undoes {@link removeBot} (the app was added again). */
  restoreBot(conversationOrTeamId: string): void {
    this.removed.delete(conversationOrTeamId.split(';')[0] ?? conversationOrTeamId);
  }

  /** Makes the next `times` connector calls (matching `match`, if given) fail with `status` and optional Retry-After seconds. */
  failNext(status: number, times = 1, retryAfter?: number, match?: CallMatcher): void {
    this.failures.push({ status, remaining: times, retryAfter, match });
  }

  /** Sets the roster of a conversation or team (by id), or the default roster when no id is given. */
  setRoster(users: readonly TeamsUser[], conversationOrTeamId?: string): void {
    if (conversationOrTeamId === undefined) this.defaultRoster = users;
    else this.rosters.set(conversationOrTeamId.split(';')[0] ?? conversationOrTeamId, users);
  }

  /** Resolves with the first truthy value `check` returns, re-checked on every connector call; rejects after timeoutMs. */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.events.off('change', attempt);
      };
      const attempt = (): boolean => {
        try {
          const value = check();
          if (value === undefined || value === null || value === false) return false;
          finish();
          resolve(value);
        } catch (cause) {
          finish();
          reject(cause instanceof Error ? cause : new Error(String(cause)));
        }
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`waitFor timed out after ${timeoutMs} ms; connector calls: ${this.describe()}`));
      }, timeoutMs);
      if (!attempt()) this.events.on('change', attempt);
    });
  }

  /** The first sent activity (already recorded or still to come) matching `predicate`. */
  waitForSent(predicate: (sent: SentActivity) => boolean, timeoutMs?: number): Promise<SentActivity> {
    return this.waitFor(() => this.sent.find(predicate), timeoutMs);
  }

  /** The first update (already recorded or still to come) matching `predicate`. */
  waitForUpdate(predicate: (sent: SentActivity) => boolean, timeoutMs?: number): Promise<SentActivity> {
    return this.waitFor(() => this.updates.find(predicate), timeoutMs);
  }

  /** The latest sent activity with an OAuthCard (optionally in one conversation), waiting for one if none yet. */
  waitForOAuthCard(conversationId?: string, timeoutMs?: number): Promise<SentActivity> {
    return this.waitFor(() => this.sent.filter((sent) => (conversationId === undefined || sent.conversationId === conversationId)
      && oauthCardOf(sent) !== undefined).at(-1), timeoutMs);
  }

  /** The well-formed attachments of a sent activity. */
  attachmentsOf(activity: SentActivity | JsonObject): Attachment[] {
    return attachmentsOf(activity);
  }

  /** The text of a sent activity ('' when none). */
  textOf(activity: SentActivity | JsonObject): string {
    return textOf(activity);
  }

  /** Every Adaptive Card content sent or updated (optionally in one conversation), in order. */
  adaptiveCards(conversationId?: string): JsonObject[] {
    return this.activities.filter((sent) => conversationId === undefined || sent.conversationId === conversationId).flatMap(adaptiveCardsOf);
  }

  /** A user's message to the bot in a scope (default: the user's personal chat). */
  message(user: TeamsUser, text: string, scope: Scope = { kind: 'personal' }): Promise<Delivery> {
    return this.post(messageActivity(this.ctx, user, text, scope));
  }

  /**
   * An Action.Submit press on a card the bot sent: Teams posts a message with the button's data as `value`
   * (and no text), in the card's conversation (personal chat if unknown), replying to the card.
   */
  submit(user: TeamsUser, activityId: string, value: Record<string, unknown>, scope?: Scope): Promise<Delivery> {
    const known = this.live.get(activityId);
    const where: Scope = scope ?? (known === undefined ? { kind: 'personal' } : { kind: 'conversation', id: known, mention: false });
    const activity = messageActivity(this.ctx, user, '', where);
    delete activity.text;
    activity.value = value;
    activity.replyToId = activityId;
    return this.post(activity);
  }

  /** An invoke from a user's Teams client; the result's body is the invoke response. */
  invoke(user: TeamsUser, name: string, value: unknown, scope: Scope = { kind: 'personal' }, replyToId?: string): Promise<Delivery> {
    return this.post(invokeActivity(this.ctx, user, name, value, scope, replyToId));
  }

  /**
   * The user's Allow or Decline on the FileConsentCard in `card` (a message the bot sent), as Teams answers it: on
   * Allow an upload session is opened in the user's OneDrive (see {@link files}) and `fileConsent/invoke` carries
   * `acceptContext` and `uploadInfo`; on Decline it carries `declineContext`. Sent in the card's conversation.
   */
  answerFileConsent(user: TeamsUser, card: SentActivity, action: 'accept' | 'decline'): Promise<Delivery> {
    const consent = consentCardOf(card.activity);
    if (consent === undefined) throw new Error(`activity ${card.id} has no FileConsentCard`);
    const value = action === 'accept'
      ? { type: 'fileUpload', action, context: consent.acceptContext, uploadInfo: this.files.open(user.aadObjectId, user.userPrincipalName, consent.name).uploadInfo }
      : { type: 'fileUpload', action, context: consent.declineContext };
    return this.invoke(user, 'fileConsent/invoke', value, { kind: 'conversation', id: card.conversationId }, card.id);
  }

  /** Adds the app to a scope as `user` does: conversationUpdate (bot in membersAdded), then installationUpdate (add). */
  install(scope: Scope, user: TeamsUser = USERS.adele): Promise<Installation> {
    return this.installation(scope, user, 'add');
  }

  /** Removes the app from a scope: conversationUpdate (bot in membersRemoved), then installationUpdate (remove). */
  uninstall(scope: Scope, user: TeamsUser = USERS.adele): Promise<Installation> {
    return this.installation(scope, user, 'remove');
  }

  /** A team (default: the first) is deleted, or one of its channels: Teams' conversationUpdate event to the bot. */
  teamEvent(eventType: 'teamDeleted' | 'channelDeleted', options: { teamId?: string; channelId?: string; user?: TeamsUser } = {}): Promise<Delivery> {
    const team = this.teams.find((candidate) => candidate.id === (options.teamId ?? this.teams[0]?.id));
    if (team === undefined) throw new Error(`unknown team ${options.teamId ?? ''}`);
    const channel = team.channels.find((candidate) => candidate.id === options.channelId);
    if (eventType === 'channelDeleted' && channel === undefined) throw new Error(`unknown channel ${options.channelId ?? ''}`);
    // Teams answers 404 for a deleted channel or team from then on.
    this.removeBot(channel?.id ?? team.id, 404);
    return this.post(teamEventActivity(this.ctx, options.user ?? USERS.adele, team, eventType, channel));
  }

  /**
   * An Action.Execute click on the card in message `activityId`: the adaptiveCard/action invoke, in `scope` or else
   * in the conversation the bot posted that message to (personal chat if unknown).
   */
  cardAction(user: TeamsUser, activityId: string, verb: string, data: unknown, scope?: Scope,
    authentication?: { id: string; connectionName: string; token: string }): Promise<Delivery> {
    const known = this.live.get(activityId);
    const where: Scope = scope ?? (known === undefined ? { kind: 'personal' } : { kind: 'conversation', id: known });
    const value: JsonObject = { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' };
    if (authentication !== undefined) value.authentication = authentication;
    return this.invoke(user, 'adaptiveCard/action', value, where, activityId);
  }

  /** Answers an OAuthCard as Teams does: signin/tokenExchange with the user's SSO token from the local identity provider. */
  async signInFromOAuthCard(user: TeamsUser, card: SentActivity, tenant: LocalTenant, options: { expiresInSeconds?: number } = {}): Promise<Delivery> {
    return this.exchangeToken(user, card, await ssoToken(tenant, user.aadObjectId, options.expiresInSeconds));
  }

  /**
   * Sends signin/tokenExchange for an OAuthCard with the given token (forged, expired, another user's, a duplicate…).
   * As Teams, only for the app's own resource: a card whose exchange resource `uri` is not the manifest's
   * `webApplicationInfo.resource` (api://botid-<bot id>; e.g. an OAuth connection with another Token Exchange URL)
   * gets no token but a `signin/failure` invoke with `resourcematchfailed`.
   */
  exchangeToken(user: TeamsUser, card: SentActivity, token: string): Promise<Delivery> {
    const request = oauthCardOf(card);
    if (request === undefined) throw new Error(`activity ${card.id} has no OAuthCard with a tokenExchangeResource`);
    const where: Scope = { kind: 'conversation', id: card.conversationId };
    if (request.uri !== undefined && request.uri !== '' && request.uri !== `api://botid-${this.options.botId}`) {
      return this.invoke(user, 'signin/failure', { code: 'resourcematchfailed', message: 'Resource match failed' }, where);
    }
    return this.invoke(user, 'signin/tokenExchange', { id: request.id, connectionName: request.connectionName, token }, where);
  }

  /**
   * Answers a Universal Actions `401 loginRequest` (botbuilder sends it as HTTP 401 with the card response as body;
   * the body decides here) as Teams does: the same adaptiveCard/action again with
   * authentication { id, connectionName, token }; the token is given, or the user's SSO token from `tenant`.
   */
  async answerLoginRequest(user: TeamsUser, response: { body: unknown }, action: CardAction, token: string | LocalTenant): Promise<Delivery> {
    const request = loginRequestOf(response.body);
    if (request === undefined) throw new Error(`not a 401 loginRequest: ${JSON.stringify(response.body)}`);
    const sso = typeof token === 'string' ? token : await ssoToken(token, user.aadObjectId);
    return this.cardAction(user, action.activityId, action.verb, action.data, action.scope,
      { id: request.id, connectionName: request.connectionName, token: sso });
  }

  /** POSTs an activity to the bot and returns its HTTP answer. */
  async post(activity: TeamsActivity): Promise<Delivery> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.channelToken !== undefined) headers.authorization = `Bearer ${await this.options.channelToken()}`;
    this.posted.push(activity);
    const response = await fetch(this.options.botUrl, { method: 'POST', headers, body: JSON.stringify(activity) });
    return { status: response.status, body: parseJson(await response.text()), activity };
  }

  private async installation(scope: Scope, user: TeamsUser, action: 'add' | 'remove'): Promise<Installation> {
    const [update, installation] = installActivities(this.ctx, user, scope, action);
    // Once removed, the bot can no longer post there (Teams answers 403); adding it again restores that.
    const where = update.channelData.team?.id ?? update.conversation.id;
    if (action === 'remove') this.removeBot(where);
    else this.restoreBot(where);
    return { conversationUpdate: await this.post(update), installationUpdate: await this.post(installation) };
  }

  private describe(): string {
    const lines = this.calls.slice(-20).map((call) => `${call.method} ${call.path} → ${call.status}`);
    return lines.length === 0 ? 'none' : lines.join('; ');
  }

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.serviceUrl);
    if (url.pathname.startsWith('/upload/')) {
      await this.files.handle(request, response, url.pathname.slice('/upload/'.length));
      this.events.emit('change');
      return;
    }
    const method = request.method ?? 'GET';
    let reply: Reply;
    let body: unknown;
    let injected = false;
    let throttled = false;
    let path = url.pathname;
    try {
      const segments = url.pathname.split('/').map(decodeURIComponent);
      path = segments.join('/');
      body = parseJson(await readBody(request));
      const failure = this.failures.find((candidate) => candidate.remaining > 0 && (candidate.match?.({ method, path }) ?? true));
      if (failure !== undefined) {
        failure.remaining -= 1;
        injected = true;
        reply = error(failure.status, 'failure injected by TeamsClient.failNext');
        if (failure.retryAfter !== undefined) reply.headers = { 'retry-after': String(failure.retryAfter) };
      } else {
        const route = segments.filter((segment) => segment !== '');
        const admitted = this.goneReply(route) ?? this.throttleReply(method, route, body);
        throttled = admitted?.status === 429;
        reply = admitted ?? this.route(method, route, url.searchParams, body);
      }
    } catch (cause) {
      reply = error(500, cause instanceof Error ? cause.message : String(cause));
    }
    this.calls.push({
      method, path, query: Object.fromEntries(url.searchParams), body, headers: request.headers, status: reply.status, injected, at: this.now(), throttled,
    });
    response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
    response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    this.events.emit('change');
  }

  /** 403/404 for a call in a conversation (or a team) the bot was removed from. */
  private goneReply([, collection, id]: string[]): Reply | undefined {
    if (id === undefined || (collection !== 'conversations' && collection !== 'teams')) return undefined;
    const base = id.split(';')[0] ?? id;
    const status = this.removed.get(base) ?? this.removed.get(findChannel(this.teams, base)?.team.id ?? base);
    if (status === undefined) return undefined;
    return status === 403
      ? error(403, 'The bot is not part of the conversation roster.', 'BotNotInConversationRoster')
      : error(404, 'Conversation not found.', 'ConversationNotFound');
  }

  /** Teams' rate limits (connectorLimits.ts): a 429 with Retry-After past them, else undefined (the call counts). */
  private throttleReply(method: string, [, collection, id, sub]: string[], body: unknown): Reply | undefined {
    if (this.options.enforceLimits === false) return undefined;
    let metered: Metered = { kind: 'send' };
    if (collection === 'conversations' && id === undefined && method === 'POST') {
      const channelData = isObject(body) && isObject(body.channelData) ? body.channelData : {};
      const members = isObject(body) && Array.isArray(body.members) ? (body.members as unknown[]) : [];
      metered = { kind: 'send', thread: stringField(channelData.channel, 'id') ?? stringField(members[0], 'id') ?? 'new-conversation' };
    } else if (collection === 'conversations' && id !== undefined && sub === 'activities' && (method === 'POST' || method === 'PUT')) {
      metered = { kind: 'send', thread: id };
    } else if (method === 'GET' && (sub === 'members' || sub === 'pagedmembers' || (collection === 'teams' && sub === 'conversations'))) {
      metered = { kind: 'read', thread: id };
    }
    const verdict = this.limits.admit(metered, this.now());
    if (verdict.ok) return undefined;
    return {
      status: 429, body: connectorError(429, 'Too many requests. Please retry after the time given in Retry-After.'),
      headers: { 'retry-after': String(verdict.retryAfterSeconds) },
    };
  }

  private route(method: string, segments: string[], query: URLSearchParams, body: unknown): Reply {
    const [v3, collection, id, sub, subId, extra] = segments;
    const noRoute = error(404, `no route ${method} /${segments.join('/')}`);
    if (v3 !== 'v3' || extra !== undefined) return noRoute;
    if (collection === 'teams' && id !== undefined && method === 'GET') return this.team(id, sub, subId);
    if (collection !== 'conversations') return noRoute;
    if (id === undefined) return method === 'POST' ? this.createConversation(body) : noRoute;
    if (/@thread\.(tacv2|skype)/.test(id) && findChannel(this.teams, id) === undefined) return error(404, `unknown channel ${id}`, 'ConversationNotFound');
    if (sub === 'activities') return this.activity(method, id, subId, body);
    if (method === 'GET' && sub === 'members' && subId === undefined) return ok(this.rosterOf(id).map(account));
    if (method === 'GET' && sub === 'members' && subId !== undefined) {
      const member = findMember(this.rosterOf(id), subId);
      return member === undefined ? error(404, `member ${subId} not found`, 'MemberNotFoundInConversation') : ok(account(member));
    }
    if (method === 'GET' && sub === 'pagedmembers' && subId === undefined) return ok(membersPage(this.rosterOf(id), query));
    return noRoute;
  }

  private activity(method: string, conversationId: string, activityId: string | undefined, body: unknown): Reply {
    if (method === 'DELETE' || method === 'PUT') {
      if (activityId === undefined || !this.live.has(activityId)) return error(404, `no bot message ${activityId ?? ''} to change`);
      if (method === 'DELETE') {
        this.live.delete(activityId);
        this.deletes.push({ conversationId, activityId });
        return ok();
      }
    }
    if (!isObject(body)) return error(400, 'the body must be an activity');
    if (method === 'PUT' && activityId !== undefined) {
      this.record({ kind: 'update', id: activityId, conversationId, activity: body });
      return ok({ id: activityId });
    }
    if (method !== 'POST') return error(405, `${method} is not allowed here`, 'MethodNotAllowed');
    const replyToId = activityId ?? stringField(body, 'replyToId');
    const id = this.ctx.nextId();
    this.record({ kind: activityId === undefined ? 'send' : 'reply', id, conversationId, activity: body, ...(replyToId === undefined ? {} : { replyToId }) });
    return { status: 201, body: { id } };
  }

  private createConversation(body: unknown): Reply {
    if (!isObject(body)) return error(400, 'the body must be ConversationParameters');
    const channelData = isObject(body.channelData) ? body.channelData : {};
    const channelId = stringField(channelData.channel, 'id') ?? stringField(channelData, 'teamsChannelId');
    const activityId = this.ctx.nextId();
    let conversationId: string;
    if (channelId !== undefined) {
      if (findChannel(this.teams, channelId) === undefined) return error(404, `unknown channel ${channelId}`, 'ConversationNotFound');
      conversationId = `${channelId};messageid=${activityId}`;
    } else {
      const members = Array.isArray(body.members) ? (body.members as unknown[]) : [];
      const ids = members.map((member) => stringField(member, 'id') ?? stringField(member, 'aadObjectId') ?? '');
      const first = findMember([...Object.values(USERS), ...this.defaultRoster], ids[0] ?? '');
      if (ids.length === 1 && body.isGroup !== true && first === undefined) return error(400, `unknown member ${ids[0] ?? ''}`);
      conversationId = ids.length === 1 && body.isGroup !== true && first !== undefined ? personalChatId(first) : `19:${activityId}@thread.v2`;
    }
    if (!isObject(body.activity)) return { status: 201, body: { id: conversationId } };
    this.record({ kind: 'create', id: activityId, conversationId, activity: body.activity });
    return { status: 201, body: { id: conversationId, activityId } };
  }

  private team(teamId: string, sub: string | undefined, subId: string | undefined): Reply {
    const team = this.teams.find((candidate) => candidate.id === teamId);
    if (team === undefined) return error(404, `team ${teamId} not found`);
    if (sub === undefined) return ok(teamDetails(team, this.rosterOf(team.id).length));
    return sub === 'conversations' && subId === undefined ? ok(teamChannels(team)) : error(404, `no route GET /v3/teams/${teamId}/${sub}`);
  }

  private rosterOf(conversationId: string): readonly TeamsUser[] {
    const base = conversationId.split(';')[0] ?? conversationId;
    const team = findChannel(this.teams, base)?.team;
    return this.rosters.get(base) ?? (team === undefined ? undefined : this.rosters.get(team.id)) ?? this.defaultRoster;
  }

  private record(sent: SentActivity): void {
    if (sent.kind !== 'update') this.live.set(sent.id, sent.conversationId);
    this.activities.push(sent);
  }
}
