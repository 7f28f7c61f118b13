import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ActivityEx, BotAdapter, TurnContext, type Activity, type ConversationReference, type FileConsentCardResponse, type ResourceResponse,
} from 'botbuilder';
import { fixedClock } from '../../../bot/clock';
import { loadConfig } from '../../../bot/config';
import { AppError } from '../../../bot/errors';
import { ExportService } from '../../../bot/exports/exportService';
import type { FeatureContext } from '../../../bot/features/feature';
import { createLogger } from '../../../bot/logger';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';
import { IDS, smallTenant } from '../../support/fakeGraph';
import { FILE_CONSENT_CARD, FILE_INFO_CARD } from '../../support/teamsFiles';

/** Allow is answered at once; the upload runs after the invoke and its outcome is posted to the same chat. */
class RecordingAdapter extends BotAdapter {
  readonly sent: Array<Partial<Activity>> = [];
  sendActivities(_context: TurnContext, activities: Array<Partial<Activity>>): Promise<ResourceResponse[]> {
    this.sent.push(...activities);
    return Promise.resolve(activities.map((_a, i) => ({ id: `sent-${this.sent.length}-${i}` })));
  }
  updateActivity(): Promise<void> {
    return Promise.resolve();
  }
  deleteActivity(): Promise<void> {
    return Promise.resolve();
  }
  continueConversation(): Promise<void> {
    return Promise.reject(new Error('legacy proactive is not used'));
  }
  override continueConversationAsync(_appId: unknown, reference: unknown, logic: unknown): Promise<void> {
    const turn = new TurnContext(this, ActivityEx.getContinuationActivity(reference as Partial<ConversationReference>));
    return (logic as (context: TurnContext) => Promise<void>)(turn);
  }
}

const CHAT = 'a:personal-chat-adele';
const activity = (type: string, extra: Partial<Activity> = {}): Partial<Activity> => ({
  type, id: `in-${Math.random()}`, channelId: 'msteams', serviceUrl: 'https://smba.example/', from: { id: '29:adele', name: 'Adele Vance', aadObjectId: IDS.adele },
  recipient: { id: '28:bot', name: 'Access Reviews' }, conversation: { id: CHAT, conversationType: 'personal', isGroup: false, name: '' }, ...extra,
});

async function setUp(upload: (path: string, url: string) => Promise<void>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'accept-'));
  const clock = fixedClock(Date.parse('2025-06-02T09:00:00Z'));
  const service = new ExportService({
    store: new SqliteStorage(':memory:', { now: () => clock.now() }), clock, log: createLogger('silent'), upload,
    config: loadConfig({ LOCAL_DATA_DIR: dataDir, FILE_DELIVERY: 'teams' }),
  });
  const tenant = smallTenant();
  tenant.definitions.push({ id: 'def-1', displayName: 'Sales guests', status: 'InProgress' });
  tenant.runs.push({ id: 'run-1', definitionId: 'def-1', status: 'InProgress', items: [{ principalId: IDS.guestA, decision: 'NotReviewed' }] });
  const adapter = new RecordingAdapter();
  const turn = new TurnContext(adapter, activity('message', { text: 'export all' }));
  const context: FeatureContext = { turn, scope: 'personal', userId: IDS.adele, args: 'all', graph: tenant.forUser(IDS.adele) };
  await service.export(context, tenant.definitions);
  const consent = adapter.sent.flatMap((a) => a.attachments ?? []).find((a) => a.contentType === FILE_CONSENT_CARD);
  const accept: FileConsentCardResponse = {
    action: 'accept', context: (consent?.content as { acceptContext: unknown }).acceptContext,
    uploadInfo: { name: 'Sales guests-decisions-2025-06-02.csv', uploadUrl: 'https://upload.example/session', contentUrl: 'https://contoso-my.sharepoint.com/x.csv', uniqueId: 'ID1', fileType: 'csv' },
  };
  adapter.sent.length = 0;
  return { service, adapter, accept, pending: () => readdirSync(join(dataDir, 'exports-pending')) };
}

test('the accept returns before the upload ends; the file card follows; the file is gone after', async () => {
  let finish: () => void = () => undefined;
  const started: string[] = [];
  const { service, adapter, accept, pending } = await setUp((_path, url) => {
    started.push(url);
    return new Promise<void>((resolve) => { finish = resolve; });
  });
  await service.accept(new TurnContext(adapter, activity('invoke', { name: 'fileConsent/invoke' })), accept);
  expect(started).toEqual(['https://upload.example/session']);
  expect(adapter.sent).toEqual([]);
  expect(pending()).toHaveLength(1);
  finish();
  await service.settled();
  expect(adapter.sent.flatMap((a) => a.attachments ?? [])).toEqual([
    { contentType: FILE_INFO_CARD, name: 'Sales guests-decisions-2025-06-02.csv', contentUrl: 'https://contoso-my.sharepoint.com/x.csv', content: { uniqueId: 'ID1', fileType: 'csv' } },
  ]);
  expect(adapter.sent[0]?.conversation?.id).toBe(CHAT);
  expect(pending()).toEqual([]);
});

test('a failed upload says so in the chat and keeps nothing; the card cannot be used again', async () => {
  const { service, adapter, accept, pending } = await setUp(() => Promise.reject(new AppError('UploadFailed', 'I could not upload the file to your OneDrive.')));
  await service.accept(new TurnContext(adapter, activity('invoke', { name: 'fileConsent/invoke' })), accept);
  await service.settled();
  expect(adapter.sent.map((a) => a.text)).toEqual(['I could not upload the file to your OneDrive.']);
  expect(pending()).toEqual([]);
  adapter.sent.length = 0;
  await service.accept(new TurnContext(adapter, activity('invoke', { name: 'fileConsent/invoke' })), accept);
  expect(adapter.sent.map((a) => a.text)).toEqual(['This file was already saved or declined.']);
});
