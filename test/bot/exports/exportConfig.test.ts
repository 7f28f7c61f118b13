import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../../bot/config';
import { configError } from '../../support/configError';

/** Where `export`'s files go, from the configuration (bot/config.ts, FILE_DELIVERY in .env.sample). */
const PRODUCTION = {
  MicrosoftAppId: 'aaaaaaaa-0000-4000-8000-000000000001', MicrosoftAppPassword: 'app-password',
  MicrosoftAppTenantId: 'bbbbbbbb-0000-4000-8000-000000000002', PUBLIC_BASE_URL: 'https://bot.example.test',
};

test('local mode: written under the data dir (the Playground has no files); FILE_DELIVERY=teams uses the Teams flow', () => {
  expect(loadConfig({ LOCAL_DATA_DIR: '/tmp/d' }).exports).toEqual({
    delivery: 'local', localDir: resolve('/tmp/d', 'exports'), pendingDir: resolve('/tmp/d', 'exports-pending'),
  });
  expect(loadConfig({ FILE_DELIVERY: 'teams' }).exports.delivery).toBe('teams');
});

test('with an app id: the Teams flow, pending files in the temp folder; local delivery is refused', () => {
  expect(loadConfig(PRODUCTION).exports).toMatchObject({ delivery: 'teams', pendingDir: join(tmpdir(), 'access-review-bot-exports') });
  expect(configError({ ...PRODUCTION, FILE_DELIVERY: 'local' }).userMessage).toContain('FILE_DELIVERY');
  expect(configError({ FILE_DELIVERY: 'onedrive' }).userMessage).toContain('FILE_DELIVERY');
});
