/**
 * Teams wire shapes for the simulated Teams client (teamsClient.ts): demo users and teams, conversation scopes,
 * the activities Teams posts to a bot, and narrowing readers for what the bot sends back.
 */
import { DEMO_TENANT, GROUP, TENANT_ID, USER } from '../../dev/tenant/tenant';

/** A parsed JSON object whose fields are not trusted yet. */
export type JsonObject = Record<string, unknown>;

export const OAUTH_CARD = 'application/vnd.microsoft.card.oauth';
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
export const LOGIN_REQUEST = 'application/vnd.microsoft.activity.loginRequest';

/** Narrows an unknown JSON value to an object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field of an unknown value, or undefined. */
export function stringField(value: unknown, key: string): string | undefined {
  const field = isObject(value) ? value[key] : undefined;
  return typeof field === 'string' ? field : undefined;
}

/** Parses a JSON body; anything else stays text, and an empty body is undefined. */
export function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export type UserAlias = keyof typeof USER;

/** A Teams user as the connector roster returns it (TeamsChannelAccount), plus the alias tests use. */
export interface TeamsUser {
  alias: string;
  /** The Teams user id, '29:<alias>' (stable, unlike real Teams ids). */
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName: string;
  email: string;
  givenName: string;
  surname: string;
  tenantId: string;
}

function demoUser(alias: UserAlias): TeamsUser {
  const user = DEMO_TENANT.users.find((candidate) => candidate.id === USER[alias]);
  if (user === undefined) throw new Error(`demo user ${alias} is not in DEMO_TENANT`);
  return {
    alias, id: `29:${alias}`, name: user.displayName, aadObjectId: user.id, userPrincipalName: user.userPrincipalName,
    email: user.mail, givenName: user.givenName, surname: user.surname, tenantId: TENANT_ID,
  };
}

/** Every named demo user of dev/tenant/tenant.ts, keyed by alias. */
export const USERS = Object.fromEntries((Object.keys(USER) as UserAlias[]).map((alias) => [alias, demoUser(alias)])) as Record<UserAlias, TeamsUser>;

/** The roster entry Teams returns for a member (TeamsChannelAccount). */
export const account = (user: TeamsUser): JsonObject => ({
  id: user.id, name: user.name, aadObjectId: user.aadObjectId, givenName: user.givenName, surname: user.surname,
  email: user.email, userPrincipalName: user.userPrincipalName, tenantId: user.tenantId, userRole: 'user',
});

/** The roster member whose Teams id, object id or UPN is `key`. */
export function findMember(roster: readonly TeamsUser[], key: string): TeamsUser | undefined {
  const wanted = key.toLowerCase();
  return roster.find((user) => [user.id.toLowerCase(), user.aadObjectId, user.userPrincipalName.toLowerCase()].includes(wanted));
}

/** One page of GET pagedmembers: `pageSize` members from the offset in `continuationToken`. */
export function membersPage(roster: readonly TeamsUser[], query: URLSearchParams): JsonObject {
  const start = Number(query.get('continuationToken') ?? '0') || 0;
  const end = start + Math.max(1, Number(query.get('pageSize') ?? '200') || 200);
  return { members: roster.slice(start, end).map(account), ...(end < roster.length ? { continuationToken: String(end) } : {}) };
}

/** The Playground's users (.m365agentsplayground.yml): the default roster of every conversation. */
export const DEFAULT_ROSTER: readonly TeamsUser[] = (['adele', 'lee', 'megan', 'alex', 'grady', 'diego', 'pradeep'] as const)
  .map((alias) => USERS[alias]);

export interface TeamsChannel { id: string; name: string }

/** A team; its id is the id of its General channel, as in Teams. */
export interface TeamsTeam {
  id: string;
  name: string;
  aadGroupId: string;
  channels: TeamsChannel[];
}

/** The Playground's team: Sales Team with General and Governance. */
export const SALES_TEAM: TeamsTeam = {
  id: '19:sales-team-general@thread.tacv2', name: 'Sales Team', aadGroupId: GROUP.salesTeam,
  channels: [{ id: '19:sales-team-general@thread.tacv2', name: 'General' }, { id: '19:sales-team-governance@thread.tacv2', name: 'Governance' }],
};
/** The Playground's group chat. */
export const GROUP_CHAT_ID = '19:governance-group-chat@thread.v2';

/** GET /v3/teams/{id} (TeamDetails). */
export const teamDetails = (team: TeamsTeam, memberCount: number): JsonObject => ({
  id: team.id, name: team.name, aadGroupId: team.aadGroupId, type: 'standard', channelCount: team.channels.length, memberCount,
});

/** GET /v3/teams/{id}/conversations; Teams gives the General channel no name (clients localise it). */
export const teamChannels = (team: TeamsTeam): JsonObject =>
  ({ conversations: team.channels.map((channel) => (channel.id === team.id ? { id: channel.id } : { ...channel })) });

const ERROR_CODES: Record<number, string> = {
  400: 'BadSyntax', 403: 'Forbidden', 404: 'NotFound', 412: 'PreconditionFailed', 413: 'MessageSizeTooBig',
  429: 'TooManyRequests', 500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'GatewayTimeout',
};

/** A connector error body, { error: { code, message } }. */
export const connectorError = (status: number, message: string, code = ERROR_CODES[status] ?? 'ServiceError'): JsonObject =>
  ({ error: { code, message } });

/**
 * Where an activity happens. `channel` without `threadId` starts a new post (a message) or targets the channel
 * itself (invokes, installs); `conversation` reuses an exact conversation id, e.g. one recorded from a bot send.
 * `mention` (group chat, channel; default true) @mentions the bot, without which Teams does not deliver messages there.
 */
export type Scope =
  | { kind: 'personal' }
  | { kind: 'groupChat'; chatId?: string; mention?: boolean }
  | { kind: 'channel'; teamId?: string; channelId?: string; threadId?: string; mention?: boolean }
  | { kind: 'conversation'; id: string; mention?: boolean };

export type ConversationType = 'personal' | 'groupChat' | 'channel';

export interface ChannelAccount { id: string; name?: string; aadObjectId?: string }

export interface ConversationAccount { id: string; conversationType: ConversationType; tenantId: string; isGroup?: boolean }

export interface TeamsChannelData {
  tenant: { id: string };
  team?: { id: string; name: string; aadGroupId?: string };
  channel?: { id: string; name: string };
  teamsTeamId?: string;
  teamsChannelId?: string;
  eventType?: string;
  settings?: { selectedChannel: { id: string } };
}

export interface MentionEntity { type: 'mention'; mentioned: ChannelAccount; text: string }
export interface ClientInfoEntity { type: 'clientInfo'; locale: string; country: string; platform: string; timezone: string }

/** An activity as Teams posts it to the bot's messaging endpoint. */
export interface TeamsActivity {
  type: 'message' | 'invoke' | 'conversationUpdate' | 'installationUpdate';
  id: string;
  timestamp: string;
  localTimestamp: string;
  /** The user's IANA time zone, as Teams sends it on what the user does (the clientInfo entity says it too). */
  localTimezone: string;
  channelId: 'msteams';
  serviceUrl: string;
  from: ChannelAccount;
  recipient: ChannelAccount;
  conversation: ConversationAccount;
  channelData: TeamsChannelData;
  locale: string;
  text?: string;
  textFormat?: 'plain';
  entities?: Array<MentionEntity | ClientInfoEntity>;
  name?: string;
  value?: unknown;
  replyToId?: string;
  action?: 'add' | 'remove';
  membersAdded?: ChannelAccount[];
  membersRemoved?: ChannelAccount[];
}

/** What the activity builders need to know about the simulated Teams. */
export interface WireContext {
  serviceUrl: string;
  tenantId: string;
  botId: string;
  botName: string;
  teams: readonly TeamsTeam[];
  nextId(): string;
}

interface Target { conversation: ConversationAccount; channelData: TeamsChannelData; mention: boolean }

/** The 1:1 chat id of a user with the bot ('a:personal-chat-<alias>'). */
export function personalChatId(user: { id: string }): string {
  return `a:personal-chat-${user.id.replace(/^29:/, '')}`;
}

/** The team and channel of a channel conversation id (with or without ';messageid=…'), if known. */
export function findChannel(teams: readonly TeamsTeam[], conversationId: string): { team: TeamsTeam; channel: TeamsChannel } | undefined {
  const channelId = conversationId.split(';')[0];
  for (const team of teams) {
    const channel = team.channels.find((candidate) => candidate.id === channelId);
    if (channel !== undefined) return { team, channel };
  }
  return undefined;
}

function channelTarget(ctx: WireContext, team: TeamsTeam, channel: TeamsChannel, conversationId: string, mention?: boolean): Target {
  return {
    conversation: { id: conversationId, conversationType: 'channel', tenantId: ctx.tenantId, isGroup: true },
    // A message or card press names the team by id and name only: Teams sends `aadGroupId` on installation
    // and conversationUpdate events (installActivities), and the connector's team details have it.
    channelData: {
      tenant: { id: ctx.tenantId }, team: { id: team.id, name: team.name },
      channel: { id: channel.id, name: channel.name }, teamsTeamId: team.id, teamsChannelId: channel.id,
    },
    mention: mention ?? true,
  };
}

function groupTarget(ctx: WireContext, chatId: string, mention?: boolean): Target {
  return {
    conversation: { id: chatId, conversationType: 'groupChat', tenantId: ctx.tenantId, isGroup: true },
    channelData: { tenant: { id: ctx.tenantId } }, mention: mention ?? true,
  };
}

/** Resolves a scope; `newPost` is the id a new channel post gets as its thread root (messages only). */
function resolve(ctx: WireContext, user: { id: string }, scope: Scope, newPost?: string): Target {
  switch (scope.kind) {
    case 'personal':
      return resolve(ctx, user, { kind: 'conversation', id: personalChatId(user) });
    case 'groupChat':
      return groupTarget(ctx, scope.chatId ?? GROUP_CHAT_ID, scope.mention);
    case 'channel': {
      const team = ctx.teams.find((candidate) => candidate.id === (scope.teamId ?? ctx.teams[0]?.id));
      const channel = team?.channels.find((candidate) => candidate.id === (scope.channelId ?? team.id));
      if (team === undefined || channel === undefined) throw new Error(`unknown team/channel ${scope.teamId ?? ''} ${scope.channelId ?? ''}`);
      const root = scope.threadId ?? newPost;
      return channelTarget(ctx, team, channel, root === undefined ? channel.id : `${channel.id};messageid=${root}`, scope.mention);
    }
    case 'conversation': {
      if (scope.id.startsWith('a:')) {
        return { conversation: { id: scope.id, conversationType: 'personal', tenantId: ctx.tenantId }, channelData: { tenant: { id: ctx.tenantId } }, mention: false };
      }
      const found = findChannel(ctx.teams, scope.id);
      return found === undefined ? groupTarget(ctx, scope.id, scope.mention) : channelTarget(ctx, found.team, found.channel, scope.id, scope.mention);
    }
  }
}

function envelope(ctx: WireContext, type: TeamsActivity['type'], id: string, user: ChannelAccount, target: Target): TeamsActivity {
  const now = new Date().toISOString();
  return {
    type, id, timestamp: now, localTimestamp: now, localTimezone: CLIENT_INFO.timezone, channelId: 'msteams', serviceUrl: ctx.serviceUrl,
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId }, recipient: botAccount(ctx),
    conversation: target.conversation, channelData: target.channelData, locale: 'en-US',
  };
}

/** The bot as Teams addresses it ('28:<botId>'). */
export function botAccount(ctx: WireContext): ChannelAccount {
  return { id: `28:${ctx.botId}`, name: ctx.botName };
}

const CLIENT_INFO: ClientInfoEntity = { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Etc/UTC' };

/** A user's message; in group chats and channels prefixed with an @mention of the bot unless `mention: false`. */
export function messageActivity(ctx: WireContext, user: ChannelAccount, text: string, scope: Scope): TeamsActivity {
  const id = ctx.nextId();
  const target = resolve(ctx, user, scope, id);
  const activity: TeamsActivity = { ...envelope(ctx, 'message', id, user, target), text, textFormat: 'plain', entities: [CLIENT_INFO] };
  if (target.mention) {
    const at = `<at>${ctx.botName}</at>`;
    activity.text = `${at} ${text}`;
    activity.entities = [{ type: 'mention', mentioned: botAccount(ctx), text: at }, CLIENT_INFO];
  }
  return activity;
}

/** An invoke (signin/tokenExchange, adaptiveCard/action, …) from a user's Teams client. */
export function invokeActivity(ctx: WireContext, user: ChannelAccount, name: string, value: unknown, scope: Scope, replyToId?: string): TeamsActivity {
  const activity: TeamsActivity = { ...envelope(ctx, 'invoke', `f:${ctx.nextId()}`, user, resolve(ctx, user, scope)), name, value, entities: [CLIENT_INFO] };
  if (replyToId !== undefined) activity.replyToId = replyToId;
  return activity;
}

/** The conversationUpdate and installationUpdate Teams sends when the app is added to (or removed from) a scope. */
export function installActivities(ctx: WireContext, user: ChannelAccount, scope: Scope, action: 'add' | 'remove'): [TeamsActivity, TeamsActivity] {
  const target = resolve(ctx, user, scope);
  const members = [botAccount(ctx)];
  const update = envelope(ctx, 'conversationUpdate', `f:${ctx.nextId()}`, user, target);
  const install = { ...envelope(ctx, 'installationUpdate', `f:${ctx.nextId()}`, user, target), action };
  if (action === 'add') update.membersAdded = members;
  else update.membersRemoved = members;
  const team = target.channelData.team;
  if (team !== undefined) {
    const withGroup = { ...target.channelData, team: { ...team, aadGroupId: ctx.teams.find((t) => t.id === team.id)?.aadGroupId ?? '' } };
    update.channelData = { ...withGroup, eventType: action === 'add' ? 'teamMemberAdded' : 'teamMemberRemoved' };
    install.channelData = { ...withGroup, settings: { selectedChannel: { id: target.channelData.channel?.id ?? team.id } } };
  }
  return [update, install];
}

/**
 * A team event as Teams sends it to a bot installed in the team: conversationUpdate in the team's General channel
 * with `channelData.eventType` 'teamDeleted', or 'channelDeleted' naming the deleted channel in `channelData.channel`.
 */
export function teamEventActivity(ctx: WireContext, user: ChannelAccount, team: TeamsTeam, eventType: 'teamDeleted' | 'channelDeleted',
  channel?: TeamsChannel): TeamsActivity {
  const general = team.channels.find((candidate) => candidate.id === team.id) ?? { id: team.id, name: 'General' };
  const target = channelTarget(ctx, team, general, team.id, false);
  const activity = envelope(ctx, 'conversationUpdate', `f:${ctx.nextId()}`, user, target);
  activity.channelData = {
    tenant: { id: ctx.tenantId }, team: { id: team.id, name: team.name, aadGroupId: team.aadGroupId }, eventType,
    ...(eventType === 'channelDeleted' && channel !== undefined ? { channel: { id: channel.id, name: channel.name } } : {}),
  };
  return activity;
}

/** An attachment of a bot activity. */
export interface Attachment { contentType: string; content: unknown; name?: string; contentUrl?: string }

/** The activity itself, whether given a recorded send ({ activity }) or the activity. */
function unwrap(activity: unknown): unknown {
  return isObject(activity) && typeof activity.conversationId === 'string' && isObject(activity.activity) ? activity.activity : activity;
}

/** The well-formed attachments of a bot activity (or of a recorded send). */
export function attachmentsOf(activity: unknown): Attachment[] {
  const attachments = rawAttachments(unwrap(activity));
  return attachments.flatMap((item) => {
    const contentType = stringField(item, 'contentType');
    if (contentType === undefined || !isObject(item)) return [];
    const attachment: Attachment = { contentType, content: item.content };
    const name = stringField(item, 'name');
    const contentUrl = stringField(item, 'contentUrl');
    if (name !== undefined) attachment.name = name;
    if (contentUrl !== undefined) attachment.contentUrl = contentUrl;
    return [attachment];
  });
}

function rawAttachments(activity: unknown): unknown[] {
  const attachments = isObject(activity) ? activity.attachments : undefined;
  return Array.isArray(attachments) ? (attachments as unknown[]) : [];
}

/** The text of a bot activity (or of a recorded send), '' when it has none. */
export function textOf(activity: unknown): string {
  return stringField(unwrap(activity), 'text') ?? '';
}

/** The Adaptive Card contents of a bot activity (or of a recorded send). */
export function adaptiveCardsOf(activity: unknown): JsonObject[] {
  return attachmentsOf(activity).flatMap((attachment) =>
    attachment.contentType === ADAPTIVE_CARD && isObject(attachment.content) ? [attachment.content] : []);
}

/** What an OAuthCard or a loginRequest asks Teams to exchange: the exchange id and the connection. */
export interface TokenExchangeRequest { id: string; connectionName: string; uri?: string }

function exchangeRequest(content: unknown): TokenExchangeRequest | undefined {
  const resource = isObject(content) ? content.tokenExchangeResource : undefined;
  const id = stringField(resource, 'id');
  if (id === undefined) return undefined;
  const request: TokenExchangeRequest = { id, connectionName: stringField(content, 'connectionName') ?? '' };
  const uri = stringField(resource, 'uri');
  if (uri !== undefined) request.uri = uri;
  return request;
}

/** The token exchange an OAuthCard attachment asks for, if the activity has one with a tokenExchangeResource. */
export function oauthCardOf(activity: unknown): TokenExchangeRequest | undefined {
  const card = attachmentsOf(activity).find((attachment) => attachment.contentType === OAUTH_CARD);
  return card === undefined ? undefined : exchangeRequest(card.content);
}

/** The token exchange a Universal Actions `401 loginRequest` invoke response asks for (body or whole response). */
export function loginRequestOf(response: unknown): TokenExchangeRequest | undefined {
  const body = isObject(response) && 'status' in response && 'body' in response ? response.body : response;
  if (!isObject(body) || body.statusCode !== 401 || body.type !== LOGIN_REQUEST) return undefined;
  return exchangeRequest(body.value);
}
