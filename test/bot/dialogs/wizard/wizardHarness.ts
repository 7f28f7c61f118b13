import type { Activity } from 'botbuilder';
import { ConversationState, MemoryStorage, TestAdapter, type Middleware } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { TokenProvider, SignedInUser } from '../../../../bot/auth/tokenProvider';
import { SsoService } from '../../../../bot/auth/ssoService';
import { systemClock } from '../../../../bot/clock';
import { loadConfig, type AppConfig } from '../../../../bot/config';
import { SsoPrompt } from '../../../../bot/dialogs/ssoPrompt';
import type { SignInPolicy } from '../../../../bot/dialogs/signedInDialog';
import { createLogger } from '../../../../bot/logger';
import { SqliteStorage } from '../../../../bot/storage/sqliteStorage';
import { DialogTurnStatus, type Dialog, type DialogTurnResult } from '../../../../bot/dialogs/dialogLib';
import type { StepOptions, StepResult, WizardContext, WizardState } from '../../../../bot/dialogs/wizard/wizardState';
import { userGraph, type UserGraph } from '../../../../bot/features/runner';
import { GraphClientFactory } from '../../../../bot/graph/graphClient';
import { GraphSeam } from '../../../../bot/graph/graphSeam';
import type { UserRef } from '../../../../reviews/settings';
import { TENANT_ID, USER } from '../../../../dev/tenant/tenant';
import { control, startLocalTenant, userToken, type LocalTenant } from '../../../support/localTenant';

/**
 * What the wizard's dialog tests share: the local tenant (the real Graph dependency), the sender's Graph (the
 * seam's forUser, as app.ts wires it) with a real delegated token, the emulator's date as the wizard's fixed "today", and a DialogTestClient that returns
 * every reply of a turn and reads wizard cards.
 */
export const ADELE: UserRef = { id: USER.adele, displayName: 'Adele Vance' };

export interface WizardWorld {
  tenant: LocalTenant;
  token: string;
  /** Builds `graphFor` as app.ts does, over these tokens (the default: the world's token, always there). */
  graphOver(tokens: Pick<TokenProvider, 'userToken' | 'appToken'>): UserGraph;
  graphFor: UserGraph;
  /** The emulator's date (YYYY-MM-DD): the wizard's "today" in every test of the file. */
  today: string;
}

export async function startWorld(user = 'adele@contoso.local'): Promise<WizardWorld> {
  const tenant = await startLocalTenant();
  const token = await userToken(tenant, user);
  const factory = new GraphClientFactory({ baseUrl: tenant.graph, retryDelaySeconds: 0 });
  const clock = await control(tenant, 'GET', '/clock');
  const today = String(clock.body.now).slice(0, 10);
  const graphOver = (tokens: Pick<TokenProvider, 'userToken' | 'appToken'>): UserGraph => userGraph(new GraphSeam(tokens, factory));
  return { tenant, token, today, graphOver, graphFor: graphOver(new SignedInTokens(token)) };
}

export const contextFor = (world: WizardWorld, extra: Partial<WizardContext> = {}): WizardContext =>
  ({ scope: 'personal', requester: ADELE, today: world.today, ...extra });

export const stepOptions = (world: WizardWorld, state: WizardState = {}, extra: Partial<StepOptions> = {}): StepOptions =>
  ({ state, context: contextFor(world), ...extra });

/** The sign-in policy as createBot wires it (SsoPrompt, SsoService), over `tokens` (silent when they have a token). */
export function signInPolicy(tokens: TokenProvider, config: AppConfig = loadConfig({})): SignInPolicy {
  const sso = new SsoService(config, tokens, new SqliteStorage(':memory:'), createLogger('silent'));
  return { config, tokens, prompt: new SsoPrompt(config, sso, systemClock) };
}

/** The identity seam the SsoPrompt needs: the user's token is there (a silent sign-in), nothing else happens. */
export class SignedInTokens implements TokenProvider {
  constructor(private readonly token: string) {}

  exchange(): Promise<SignedInUser> {
    return Promise.resolve({ userId: USER.adele, tenantId: TENANT_ID });
  }

  userToken(): Promise<string> {
    return Promise.resolve(this.token);
  }

  appToken(): Promise<string> {
    return Promise.reject(new Error('the wizard never uses the app token'));
  }

  signOut(): Promise<void> {
    return Promise.resolve();
  }
}

export type Reply = Partial<Activity>;
type Node = Record<string, unknown>;

/** Every object inside a card, depth first. */
function nodes(value: unknown, into: Node[] = []): Node[] {
  if (Array.isArray(value)) for (const item of value) nodes(item, into);
  else if (typeof value === 'object' && value !== null) {
    into.push(value as Node);
    for (const item of Object.values(value)) nodes(item, into);
  }
  return into;
}

/** The Adaptive Card of a reply (undefined for a text reply). */
export function cardOf(reply: Reply | undefined): Node | undefined {
  const attachment = reply?.attachments?.[0];
  return attachment?.contentType === 'application/vnd.microsoft.card.adaptive' ? (attachment.content as Node) : undefined;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const texts = (card: Node | undefined): Node[] => nodes(card).filter((n) => n.type === 'TextRun' || n.type === 'TextBlock');

/** The first text of the card: its title. */
export const titleOf = (card: Node | undefined): string => str(texts(card)[0]?.text);
/** The re-ask reason (the card's Attention text), '' when none. */
export const problemOf = (card: Node | undefined): string =>
  texts(card).filter((n) => n.color === 'Attention').map((n) => str(n.text)).join(' ');
/** Every text on the card, in order. */
export const textOf = (card: Node | undefined): string => texts(card).map((n) => str(n.text)).join('\n');

export interface Button {
  type: string;
  title: string;
  verb?: string;
  data: Record<string, unknown>;
}

/** The card's buttons (Submit and Execute, fallbacks included), in order. */
export const buttonsOf = (card: Node | undefined): Button[] =>
  nodes(card).filter((n) => n.type === 'Action.Submit' || n.type === 'Action.Execute').map((n) => ({
    type: str(n.type), title: str(n.title), data: (n.data ?? {}) as Record<string, unknown>,
    ...(typeof n.verb === 'string' ? { verb: n.verb } : {}),
  }));

/** A conversation with one dialog through DialogTestClient: each call is one turn and returns all its replies. */
export class WizardChat {
  readonly client: DialogTestClient;

  constructor(dialog: Dialog, options: unknown, conversationState: ConversationState = new ConversationState(new MemoryStorage())) {
    // Every turn comes from Adele, as Teams says it: her Entra object id on the sender (the draft rules compare it).
    const asAdele: Middleware = {
      onTurn: async (turn, next) => {
        Object.assign(turn.activity.from, { name: ADELE.displayName, aadObjectId: ADELE.id });
        await next();
      },
    };
    this.client = new DialogTestClient('msteams', dialog, options, [asAdele], conversationState);
  }

  /** The conversation every turn of a chat happens in (TestAdapter's default conversation). */
  static readonly conversationId: string = new TestAdapter().conversation.conversation.id;

  async say(activity: string | Reply): Promise<Reply[]> {
    const replies: Reply[] = [];
    const first = (await this.client.sendActivity(activity)) as Reply | undefined;
    if (first) replies.push(first);
    for (let next = this.client.getNextReply(); next; next = this.client.getNextReply()) replies.push(next);
    return replies;
  }

  /** A press of a wizard card's button: `{ wizard: stepId, choice, ...fields }` in activity.value, no text. */
  press(stepId: string, choice: string, fields: Record<string, unknown> = {}): Promise<Reply[]> {
    return this.say({ type: 'message', value: { wizard: stepId, choice, ...fields } });
  }

  /** The one card of a turn's replies (the last reply's). */
  static card(replies: Reply[]): Node | undefined {
    return cardOf(replies.at(-1));
  }

  get result(): DialogTurnResult {
    return this.client.dialogTurnResult;
  }

  /** How the step ended, when it did. */
  get stepResult(): StepResult | undefined {
    return this.result.status === DialogTurnStatus.complete ? (this.result.result as StepResult) : undefined;
  }
}
