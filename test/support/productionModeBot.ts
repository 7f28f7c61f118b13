import { runProcess, serve } from '../../bot/index';

/**
 * TEST entry point (not part of the build: tsconfig.build.json leaves test/ out): the production bot exactly as
 * `bot/index.ts` runs it — loadConfig() with the production rules (an app id, https, Microsoft's hosts) — except
 * that channel tokens are checked against a local OpenID configuration, so tests can sign them on 127.0.0.1.
 * That override is the only thing this file adds, and it reaches the adapter through createApp's overrides,
 * never through configuration: the production entry has no key that could replace Bot Framework's trust root.
 */
function channelAuthFromTestEnv(): { openIdMetadataUrl: string; tokenIssuer: string } {
  const openIdMetadataUrl = process.env.TEST_BOT_OPENID_METADATA_URL ?? '';
  const tokenIssuer = process.env.TEST_BOT_TOKEN_ISSUER ?? '';
  if (openIdMetadataUrl === '' || tokenIssuer === '') {
    throw new Error('productionModeBot needs TEST_BOT_OPENID_METADATA_URL and TEST_BOT_TOKEN_ISSUER');
  }
  return { openIdMetadataUrl, tokenIssuer };
}

runProcess(async () => serve({ channelAuth: channelAuthFromTestEnv() }));
