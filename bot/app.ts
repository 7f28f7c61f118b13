import { ConversationState } from 'botbuilder';
import type restify from 'restify';
import { createAdapter } from './adapter';
import { SignInPages } from './auth/signInPages';
import { SsoService } from './auth/ssoService';
import { MsalTokenProvider, type TokenProvider } from './auth/tokenProvider';
import { CardActions } from './cardActions';
import type { AppConfig } from './config';
import { ConversationStore } from './conversations';
import { RootDialog } from './dialogs/rootDialog';
import { SsoPrompt } from './dialogs/ssoPrompt';
import { createFeatures } from './features';
import { FeatureRunner } from './features/runner';
import { GraphClientFactory } from './graph/graphClient';
import { httpReachable, type HealthCheck } from './health';
import type { Logger } from './logger';
import { createServer } from './server';
import { BlobKeyValueStore } from './storage/blobStorage';
import type { KeyValueStore } from './storage/keyValueStore';
import { SqliteStorage } from './storage/sqliteStorage';
import { TeamsBot } from './teamsBot';

export interface App {
  server: restify.Server;
  tokens: TokenProvider;
  close(): Promise<void>;
}

function createStorage(config: AppConfig): KeyValueStore {
  return config.storage.kind === 'blob'
    ? new BlobKeyValueStore(config.storage.connectionString, config.storage.container)
    : new SqliteStorage(config.storage.file);
}

/** The composition root: the only place that builds infrastructure; everything else receives what it needs. */
export async function createApp(config: AppConfig, log: Logger): Promise<App> {
  const storage = createStorage(config);
  const conversationState = new ConversationState(storage);
  const tokens = await MsalTokenProvider.create(config, log);
  const graph = new GraphClientFactory({ baseUrl: config.graphBaseUrl });
  const sso = new SsoService(config, tokens, storage, log);
  const features = createFeatures(tokens);
  const runner = new FeatureRunner(tokens, graph, log);
  const root = new RootDialog(config, features, runner, tokens, new SsoPrompt(config, tokens, sso));
  const cardActions = new CardActions(config, features, runner, tokens, sso);
  const bot = new TeamsBot(conversationState, root, sso, cardActions, new ConversationStore(storage), log);
  const adapter = createAdapter(config, conversationState, log);
  const health: HealthCheck[] = [{ name: 'storage', check: async () => { await storage.read(['health/probe']); } }];
  if (config.localMode) {
    if (config.aad.metadataUrl) health.push(httpReachable('identityProvider', config.aad.metadataUrl));
    health.push(httpReachable('graph', `${config.graphBaseUrl}/v1.0/`));
  }
  const server = createServer({ adapter, bot, health, signIn: new SignInPages(config, tokens.authorizeEndpoint), log });
  return {
    server,
    tokens,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      await storage.close();
    },
  };
}
