import { TestAdapter, type Activity, type AdaptiveCardInvokeResponse, type InvokeResponse } from 'botbuilder';
import jwt from 'jsonwebtoken';
import type { SignedInUser, TokenProvider } from '../../../bot/auth/tokenProvider';
import { fixedClock } from '../../../bot/clock';
import { loadConfig, type AppConfig } from '../../../bot/config';
import { createBot } from '../../../bot/app';
import { createDraftStore, type DraftStore } from '../../../bot/creation/drafts';
import { AppError } from '../../../bot/errors';
import type { GraphApis } from '../../../bot/graph/apis';
import { createLogger } from '../../../bot/logger';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';
import { TeamsBot } from '../../../bot/teamsBot';
import { BOT_APP_ID, TENANT_ID } from '../../../dev/tenant/tenant';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import {
  ADAPTIVE_CARD, GROUP_CHAT_ID, invokeActivity, messageActivity, SALES_TEAM, type ChannelAccount, type Scope, type WireContext,
} from '../../support/teamsActivities';

/**
 * The bot as bot/app.ts wires it, with in-memory pieces instead of infrastructure: SQLite in memory, a fake
 * TokenProvider (a set of signed-in users), the in-memory Graph fake behind `userGraph` (each call needs the
 * sender's token, as GraphSeam.forUser does), a fixed clock and botbuilder's TestAdapter driving TeamsBot.run.
 * Activities have Teams' shapes (test/support/teamsActivities.ts). No HTTP, no emulator.
 */

export const BOT_NAME = 'Access Reviews';
/** The fake tenant's "now" (test/support/fakeGraph.ts): the bot's fixed clock too. */
export const NOW = Date.parse('2025-06-02T09:00:00Z');
export const TODAY = '2025-06-02';

/** People of the fake tenant as Teams addresses them. */
export const PEOPLE = {
  adele: { id: '29:adele', name: 'Adele Vance', aadObjectId: IDS.adele },
  megan: { id: '29:megan', name: 'Megan Bowen', aadObjectId: IDS.megan },
  alex: { id: '29:alex', name: 'Alex Wilber', aadObjectId: IDS.alex },
} as const satisfies Record<string, Required<ChannelAccount>>;
export type Person = (typeof PEOPLE)[keyof typeof PEOPLE];

export const PERSONAL: Scope = { kind: 'personal' };
export const GROUP_CHAT: Scope = { kind: 'groupChat' };
export const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
export { GROUP_CHAT_ID, SALES_TEAM };

/** A Teams SSO token (JWT-shaped, unsigned by anyone real) whose `oid` is `userId`. */
export const ssoTokenFor = (userId: string): string =>
  jwt.sign({ aud: `api://botid-${BOT_APP_ID}`, tid: TENANT_ID, oid: userId, scp: 'access_as_user' }, 'test-key', { expiresIn: 600 });

const oidOf = (token: string): string => {
  const claims = jwt.decode(token);
  const oid = typeof claims === 'object' && claims !== null ? (claims as { oid?: unknown }).oid : undefined;
  if (typeof oid !== 'string') throw new AppError('InvalidSsoToken', 'Your sign-in could not be completed. Please try again.');
  return oid;
};

/** A TokenProvider over a set of signed-in users; records exchanges (by user id, never the token) and sign-outs. */
export class FakeTokens implements TokenProvider {
  readonly signedIn: Set<string>;
  /** The user id of every SSO token handed to `exchange`, in order. */
  readonly exchanged: string[] = [];
  readonly signedOut: string[] = [];
  /** Users whose exchange fails with ConsentRequired. */
  readonly needsConsent = new Set<string>();

  constructor(signedIn: Iterable<string> = []) {
    this.signedIn = new Set(signedIn);
  }

  exchange(ssoToken: string): Promise<SignedInUser> {
    const userId = oidOf(ssoToken);
    this.exchanged.push(userId);
    if (this.needsConsent.has(userId)) return Promise.reject(new AppError('ConsentRequired', 'You need to consent before I can act as you.'));
    this.signedIn.add(userId);
    return Promise.resolve({ userId, tenantId: TENANT_ID });
  }

  userToken(userId: string): Promise<string> {
    return this.signedIn.has(userId) ? Promise.resolve(`graph-token-of-${userId}`) : Promise.reject(new AppError('SignInRequired', 'Please sign in.'));
  }

  appToken(): Promise<string> {
    return Promise.reject(new Error('no user command may use the app identity'));
  }

  signOut(userId: string): Promise<void> {
    this.signedIn.delete(userId);
    this.signedOut.push(userId);
    return Promise.resolve();
  }
}

/** Every method of `api`, first asking for the token (SignInRequired when there is none), as GraphSeam.forUser does. */
function needingToken<T extends object>(api: T, token: () => Promise<string>): T {
  return Object.fromEntries(Object.entries(api).map(([name, method]) => [name, async (...args: unknown[]): Promise<unknown> => {
    await token();
    return (method as (...parameters: unknown[]) => Promise<unknown>)(...args);
  }])) as T;
}

export type Reply = Partial<Activity>;

/** What a turn sent back: the messages, and for an invoke its response. */
export interface TurnResult {
  replies: Reply[];
  invoke: InvokeResponse | undefined;
}

export interface BotHarness {
  bot: TeamsBot;
  adapter: TestAdapter;
  tenant: FakeTenant;
  tokens: FakeTokens;
  storage: SqliteStorage;
  drafts: DraftStore;
  config: AppConfig;
  clock: ReturnType<typeof fixedClock>;
  /** What the Teams activity builders need (ids, the team, the bot's name). */
  wire: WireContext;
  /** Team ids the bot asked the connector about (TeamsInfo.getTeamDetails), in order. */
  teamLookups: string[];
  /** Activities the bot updated in place (an answered wizard card), in order, with their ids. */
  updates: Reply[];
  /** One turn of any activity; what the bot sent back. */
  turn(activity: object): Promise<TurnResult>;
  /** A user's message in `scope` (with the @mention Teams adds in group chats and channels). */
  say(user: Person, text: string, scope?: Scope): Promise<Reply[]>;
  /** Any invoke from a user's Teams client. */
  invoke(user: Person, name: string, value: unknown, scope?: Scope): Promise<TurnResult>;
  /** An Action.Execute press: the adaptive card invoke response (the body of the HTTP answer). */
  press(user: Person, verb: string, data: unknown, scope?: Scope, authentication?: { id: string; connectionName: string; token: string }): Promise<AdaptiveCardInvokeResponse>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Configuration keys (loadConfig, local mode); e.g. { SSO_MODE: 'teams' } for OAuthCards. */
  env?: NodeJS.ProcessEnv;
  /** Users (object ids) with a Graph token at the start. */
  signedIn?: string[];
  tenant?: FakeTenant;
}

/** What the Teams activity builders need: this tenant, the bot, Sales Team with its channels, activity ids. */
export function teamsWire(): WireContext {
  let next = 0;
  return {
    serviceUrl: 'https://smba.trafficmanager.net/teams/', tenantId: TENANT_ID, botId: BOT_APP_ID, botName: BOT_NAME, teams: [SALES_TEAM],
    nextId: () => `${++next}`,
  };
}

/** The value of an `adaptiveCard/action` invoke for an Action.Execute press, as Teams sends it. */
export function executeValue(verb: string, data: unknown, authentication?: { id: string; connectionName: string; token: string }): Record<string, unknown> {
  const value: Record<string, unknown> = { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' };
  if (authentication !== undefined) value.authentication = authentication;
  return value;
}

/** Builds the bot as app.ts does, over in-memory pieces. */
export function buildBot(options: HarnessOptions = {}): BotHarness {
  const config = loadConfig(options.env ?? {});
  const clock = fixedClock(NOW);
  const log = createLogger('silent');
  const storage = new SqliteStorage(':memory:', { now: () => clock.now() });
  const tenant = options.tenant ?? smallTenant(() => clock.now());
  const tokens = new FakeTokens(options.signedIn ?? []);
  const seam = {
    forUser: (userId: string): GraphApis => {
      const apis = tenant.forUser(userId);
      const token = (): Promise<string> => tokens.userToken(userId);
      return { reviews: needingToken(apis.reviews, token), directory: needingToken(apis.directory, token), reviewer: needingToken(apis.reviewer, token) };
    },
  };
  // The bot exactly as app.ts builds it, on these in-memory parts.
  // The connector's team details (GET /v3/teams/{id}) over the wire's teams, recording each look-up.
  const wire = teamsWire();
  const teamLookups: string[] = [];
  const teamDetails = (_turn: unknown, teamId: string): Promise<string | undefined> => {
    teamLookups.push(teamId);
    return Promise.resolve(wire.teams.find((team) => team.id === teamId)?.aadGroupId);
  };
  const { bot } = createBot({ config, storage, tokens, graph: seam, clock, log, teamDetails });
  const drafts = createDraftStore(storage, clock);
  const adapter = new TestAdapter(async (turn) => bot.run(turn));
  // Teams updates a sent card in place (PUT …/activities/{id}); TestAdapter only swaps it in its queue: record them.
  const updates: Reply[] = [];
  adapter.use(async (turn, next) => {
    turn.onUpdateActivity(async (_context, activity, forward) => {
      updates.push(activity);
      return forward();
    });
    await next();
  });

  const turn = async (activity: object): Promise<TurnResult> => {
    await adapter.processActivity(activity);
    const sent = adapter.activeQueue.splice(0) as Reply[];
    const invokes = sent.filter((reply) => reply.type === 'invokeResponse');
    return { replies: sent.filter((reply) => reply.type !== 'invokeResponse'), invoke: invokes.at(-1)?.value as InvokeResponse | undefined };
  };
  const invoke = (user: Person, name: string, value: unknown, scope: Scope = PERSONAL): Promise<TurnResult> =>
    turn(invokeActivity(wire, user, name, value, scope));
  return {
    bot, adapter, tenant, tokens, storage, drafts, config, clock, wire, turn, teamLookups, updates,
    say: async (user, text, scope = PERSONAL) => (await turn(messageActivity(wire, user, text, scope))).replies,
    invoke,
    press: async (user, verb, data, scope = PERSONAL, authentication) => {
      const { invoke: response } = await invoke(user, 'adaptiveCard/action', executeValue(verb, data, authentication), scope);
      if (response === undefined) throw new Error(`no invoke response to ${verb}`);
      return response.body as AdaptiveCardInvokeResponse;
    },
    close: () => storage.close(),
  };
}

type Node = Record<string, unknown>;

/** Every object inside a card, depth first. */
export function nodesOf(value: unknown, into: Node[] = []): Node[] {
  if (Array.isArray(value)) for (const item of value) nodesOf(item, into);
  else if (typeof value === 'object' && value !== null) {
    into.push(value as Node);
    for (const item of Object.values(value)) nodesOf(item, into);
  }
  return into;
}

/** The Adaptive Card of a reply (undefined for a text reply). */
export function cardOf(reply: Reply | undefined): Node | undefined {
  const attachment = reply?.attachments?.find((item) => item.contentType === ADAPTIVE_CARD);
  return attachment?.content as Node | undefined;
}

/** The one reply of a turn (the test fails when there are more or none). */
export function only(replies: readonly Reply[]): Reply {
  expect(replies).toHaveLength(1);
  return replies[0];
}

/** The text of a turn's one reply. */
export const textOf = (replies: readonly Reply[]): string => String(only(replies).text);

/** The card an invoke answered with (a replacement card), if it answered with one. */
export const invokeCard = (response: AdaptiveCardInvokeResponse): Node | undefined =>
  response.type === ADAPTIVE_CARD ? response.value : undefined;

/** The text an invoke answered with (application/vnd.microsoft.activity.message), '' otherwise. */
export function invokeText(response: AdaptiveCardInvokeResponse): string {
  const value: unknown = response.value;
  return response.type === 'application/vnd.microsoft.activity.message' && typeof value === 'string' ? value : '';
}

/**
 * What a press came to, as the presser reads it: the message text, or the outcome line of a confirmation card closed
 * with it (a card with no button left: its last text); '' for a card that still has buttons.
 */
export function invokeOutcome(response: AdaptiveCardInvokeResponse): string {
  const card = invokeCard(response);
  if (card === undefined) return invokeText(response);
  return nodesOf(card).some((node) => node.type === 'Action.Execute') ? '' : cardTexts(card).at(-1) ?? '';
}

/** Every text of a card (TextBlocks, and RichTextBlocks' runs joined per block), in order. */
export function cardTexts(card: Node | undefined): string[] {
  return nodesOf(card).flatMap((node) => {
    if (node.type === 'TextBlock') return [String(node.text)];
    if (node.type === 'RichTextBlock') return [(node.inlines as Node[]).map((run) => String(run.text)).join('')];
    return [];
  });
}

export interface Button {
  type: string;
  title: string;
  verb?: string;
  data: Record<string, unknown>;
}

/** A card's buttons (its actions and its ActionSets'; fallbacks not included), in order. */
export const buttonsOf = (card: Node | undefined): Button[] => nodesOf(card).flatMap((node) => (Array.isArray(node.actions) ? node.actions as Node[] : []))
  .map((action) => ({
  type: String(action.type), title: String(action.title), data: (action.data ?? {}) as Record<string, unknown>,
  ...(typeof action.verb === 'string' ? { verb: action.verb } : {}),
}));
