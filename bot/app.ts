import { PrivateConversationState, type BotState, type TurnContext } from 'botbuilder';
import type restify from 'restify';
import { createAdapter, type ChannelAuthOverride, type ConnectorCredentialsOverride } from './adapter';
import { SignInPages } from './auth/signInPages';
import { SsoService } from './auth/ssoService';
import { MsalTokenProvider, type TokenProvider } from './auth/tokenProvider';
import { TokenServiceSignIn, TokenServiceTokens } from './auth/tokenService';
import { CardActions } from './cardActions';
import { followingClock, systemClock, type Clock } from './clock';
import { emulatorClockSync } from './emulatorClock';
import type { AppConfig } from './config';
import { ConversationStore } from './conversations';
import { botbuilderConnector } from './proactive/botConnector';
import { ProactiveSender } from './proactive/sender';
import { createDigestScheduler, DIGEST_TICK_MS, LOCAL_DIGEST_TICK_MS } from './digests/wiring';
import { intervalTicker, type Ticker } from './digests/scheduler';
import { createNudgeScheduler } from './reviewing/nudgeWiring';
import { PendingChoices } from './reviewing/pendingChoices';
import { SubscriptionStore } from './digests/subscriptions';
import { RootDialog, wizardContext } from './dialogs/rootDialog';
import { DialogStarter } from './dialogs/dialogStarter';
import { FeatureDialog } from './dialogs/featureDialog';
import type { SignInPolicy } from './dialogs/signedInDialog';
import type { DialogState } from './dialogs/dialogLib';
import { CREATE_REVIEW_DIALOG, CreateReviewDialog, stateFromSettings, type CreateReviewOptions } from './dialogs/wizard/createReviewDialog';
import { GroupStep } from './dialogs/wizard/groupStep';
import { InactiveDaysStep } from './dialogs/wizard/inactiveDaysStep';
import { QuickCreateDialog } from './dialogs/wizard/quickCreateDialog';
import { ReviewersStep } from './dialogs/wizard/reviewersStep';
import { ScheduleStep } from './dialogs/wizard/scheduleStep';
import { ScopeStep } from './dialogs/wizard/scopeStep';
import { SettingsStep } from './dialogs/wizard/settingsStep';
import { WhichSettingStep } from './dialogs/wizard/whichSettingStep';
import { creationActions } from './cardActions/createReviewActions';
import { reviewAdminActions } from './cardActions/reviewAdminActions';
import { summaryActions } from './cardActions/summaryActions';
import { editActions } from './cardActions/editActions';
import { createEditDeps } from './features/edit';
import { createAdminActionStore } from './features/reviewAdmin';
import { createDraftStore, type ReviewDraft } from './creation/drafts';
import { SsoPrompt } from './dialogs/ssoPrompt';
import { createFeatures } from './features';
import { ExportService } from './exports/exportService';
import { FeatureRunner, userGraph } from './features/runner';
import { GraphClientFactory } from './graph/graphClient';
import { GraphSeam } from './graph/graphSeam';
import { httpReachable, productionHealthChecks, type HealthCheck } from './health';
import type { Logger } from './logger';
import { createServer } from './server';
import type { KeyValueStore } from './storage/keyValueStore';
import { SqliteStorage } from './storage/sqliteStorage';
import { connectorTeamDetails, TeamGroups, type TeamDetailsLookup } from './teamGroups';
import { TeamsBot } from './teamsBot';
import { startTelemetry } from './telemetry';

export interface App {
  server: restify.Server;
  tokens: TokenProvider;
  /** Proactive posts as the bot (rate-limited, retried; bot/proactive/sender.ts): for the digest scheduler. */
  proactive: ProactiveSender;
  close(): Promise<void>;
}

async function createStorage(config: AppConfig): Promise<KeyValueStore> {
  if (config.storage.kind === 'sqlite') return new SqliteStorage(config.storage.file);
  // Loaded only when configured: the Azure SDK costs ~20 MB of memory a SQLite deployment does not need.
  const { BlobKeyValueStore } = await import('./storage/blobStorage.js');
  return new BlobKeyValueStore(config.storage.connectionString, config.storage.container);
}

/**
 * What only a test entry point may change (never read from configuration): see {@link ChannelAuthOverride} and
 * {@link ConnectorCredentialsOverride}.
 */
export interface AppOverrides {
  channelAuth?: ChannelAuthOverride;
  connectorCredentials?: ConnectorCredentialsOverride;
}

/** What the conversation part of the bot is built from (infrastructure made by createApp, or fakes in unit tests). */
export interface BotDeps {
  config: AppConfig;
  storage: KeyValueStore;
  tokens: TokenProvider;
  graph: Pick<GraphSeam, 'forUser'>;
  clock: Clock;
  log: Logger;
  /** The connector's team details (this team's group); a fake in unit tests. */
  teamDetails: TeamDetailsLookup;
  /** Conversation references, shared with the proactive sender (which suspends them); made here when absent. */
  conversations?: ConversationStore;
}

/**
 * The bot without its HTTP edge: dialogs, commands, card actions and state, wired once. createApp puts the adapter
 * and the server around it; unit tests drive it with botbuilder's TestAdapter.
 */
export function createBot({ config, storage, tokens, graph, clock, log, teamDetails, conversations }: BotDeps): { bot: TeamsBot; dialogStates: BotState } {
  // Dialog state per conversation *and* user: in a channel or group chat each person has their own wizard.
  const dialogStates = new PrivateConversationState(storage);
  // SSO_MODE=connection: the Azure Bot's OAuth connection signs users in (its token service keeps their tokens).
  const tokenService = tokens instanceof TokenServiceTokens ? new TokenServiceSignIn(config, tokens, log) : undefined;
  const sso = new SsoService(config, tokens, storage, log, tokenService);
  const adminActions = createAdminActionStore(storage, clock);
  const exports = new ExportService({ store: storage, clock, config, log });
  const edits = createEditDeps(storage, clock);
  const features = createFeatures((turn, userId) => sso.signOut(turn, userId), { clock, adminActions, exports, edit: edits, digests: { subscriptions: new SubscriptionStore(storage, clock), clock, log },
    reviewing: { pending: new PendingChoices(storage, clock), clock } });
  const graphFor = userGraph(graph);
  const teamGroups = new TeamGroups(teamDetails, log);
  const runner = new FeatureRunner(graphFor, log, teamGroups);
  const drafts = createDraftStore(storage, clock);
  const ssoPrompt = new SsoPrompt(config, sso, clock);
  const steps = [new ScopeStep(), new InactiveDaysStep(), new GroupStep(graphFor), new ReviewersStep(graphFor), new ScheduleStep(),
    new SettingsStep(), new WhichSettingStep()];
  const policy: SignInPolicy = { config, tokens, prompt: ssoPrompt };
  const root = new RootDialog(clock, teamGroups, {
    feature: new FeatureDialog(features, runner, policy),
    createReview: new CreateReviewDialog(steps, drafts, graphFor, policy),
    quickCreate: new QuickCreateDialog(drafts, graphFor, policy),
  });
  const dialogState = dialogStates.createProperty<DialogState>('dialogState');
  const starter = new DialogStarter(root, dialogState);
  const startChange = async (turn: TurnContext, draft: ReviewDraft): Promise<void> => starter.start(turn, CREATE_REVIEW_DIALOG, {
    context: wizardContext(turn, clock, await teamGroups.groupOf(turn)), state: stateFromSettings(draft.payload.settings), draftId: draft.id,
  } satisfies CreateReviewOptions);
  const cardActions = new CardActions(config, features, runner, tokens, sso, { ...creationActions(drafts, graphFor, startChange, clock, log), ...reviewAdminActions(adminActions, graphFor, log), ...editActions(edits, graphFor, log), ...summaryActions(features.get('summary'), runner, log) });
  return { bot: new TeamsBot(dialogStates, dialogState, root, sso, cardActions, conversations ?? new ConversationStore(storage, clock), log, exports), dialogStates };
}

/** The composition root: the only place that builds infrastructure; everything else receives what it needs. */
export async function createApp(config: AppConfig, log: Logger, overrides: AppOverrides = {}): Promise<App> {
  const storage = await createStorage(config);
  // OpenTelemetry export when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise a no-op (no SDK loaded, nothing sent).
  const telemetry = startTelemetry(config, log);
  // The one clock of the bot (conventions: time is injected). Local mode: the local tenant's time, read before each turn.
  const clock = followingClock(systemClock);
  const msal = await MsalTokenProvider.create(config, log);
  // SSO_MODE=connection: users' tokens come from the token service (in turns); the bot's own still from msal.
  const tokens = config.sso.mode === 'connection' ? new TokenServiceTokens(msal, clock) : msal;
  // Graph as each user, for commands; the bot's own identity is for scheduled work only (test/bot/graph/appIdentity.test.ts).
  const graph = new GraphSeam(tokens, new GraphClientFactory({ baseUrl: config.graphBaseUrl, telemetry }));
  const conversations = new ConversationStore(storage, clock);
  const { bot, dialogStates } = createBot({ config, storage, tokens, graph, clock, log, teamDetails: connectorTeamDetails, conversations });
  const adapter = createAdapter(config, dialogStates, log, { ...overrides, telemetry });
  const proactive = new ProactiveSender({ connector: botbuilderConnector(adapter, config.bot.appId, log), conversations, log, clock });
  const sync = config.localMode ? emulatorClockSync(clock, config.graphBaseUrl, log) : undefined;
  if (sync !== undefined) {
    await sync();
    adapter.use(async (_turn, next) => {
      await sync();
      await next();
    });
  }
  const digests = createDigestScheduler({ storage, clock, log, conversations, graph, sender: proactive, telemetry });
  const nudges = createNudgeScheduler({ storage, clock, log, conversations, graph, sender: proactive, telemetry });
  // Local mode: every tick first follows the local tenant's clock, so `POST /_emulator/clock {"advance":"P7D"}` brings next week's digest within seconds.
  const ticker: Ticker = config.localMode && sync !== undefined
    ? (tick) => intervalTicker(LOCAL_DIGEST_TICK_MS)(() => { void sync().then(tick, tick); })
    : intervalTicker(DIGEST_TICK_MS);
  digests.start(ticker);
  nudges.start(ticker);
  const health: HealthCheck[] = [{ name: 'storage', check: async () => { await storage.read(['health/probe']); } }];
  if (config.localMode) {
    if (config.aad.metadataUrl) health.push(httpReachable('identityProvider', config.aad.metadataUrl));
    health.push(httpReachable('graph', `${config.graphBaseUrl}/v1.0/`));
  } else {
    health.push(...productionHealthChecks(config));
  }
  const server = createServer({ adapter, bot, health, signIn: new SignInPages(config, msal.authorizeEndpoint), log, localMode: config.localMode, telemetry });
  return {
    server,
    tokens,
    proactive,
    close: async () => {
      await Promise.all([digests.stop(), nudges.stop()]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      await storage.close();
      // Last: the spans of the work that just finished are exported too.
      await telemetry.shutdown();
    },
  };
}
