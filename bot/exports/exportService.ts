import { TurnContext, type Activity, type FileConsentCardResponse } from 'botbuilder';
import { renderExportProgressCard } from '../../cards';
import type { ExportReview } from '../../reviews/exportRows';
import { todayOf, type Clock } from '../clock';
import type { AppConfig } from '../config';
import { isAppError } from '../errors';
import type { FeatureContext, FeatureReply } from '../features/feature';
import { replyActivity } from '../features/feature';
import type { Logger } from '../logger';
import { PendingActions, type Opened, type PendingAction } from '../pending/pendingActions';
import type { KeyValueStore } from '../storage/keyValueStore';
import { actorOf } from '../turn';
import { quoted } from '../userText';
import { collectDecisions, type ExportProgress } from './collect';
import { ExportFiles } from './exportFiles';
import { fileConsentAttachment, fileInfoAttachment, type UploadedFile } from './fileCards';
import { uploadFile } from './upload';

/** A collected CSV waiting for its owner's answer on the consent card (the file itself is on disk, not here). */
export interface PendingExport {
  /** Its path in the pending folder. */
  file: string;
  fileName: string;
  size: number;
  rows: number;
  reviews: number;
}

/** How long a file waits for Allow or Decline. */
const TTL_SECONDS = 60 * 60;
/** The progress card is updated after this many Graph pages (and at the end). */
const PROGRESS_EVERY_PAGES = 10;

export interface ExportServiceDeps {
  store: KeyValueStore;
  clock: Clock;
  config: Pick<AppConfig, 'localMode' | 'exports' | 'bot'>;
  log: Logger;
  /** The upload to Teams' upload session (tests may slow it or make it fail). */
  upload?: (path: string, uploadUrl: string) => Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * `export`: collects every decision of the chosen reviews into a CSV file (page by page, with a progress card
 * updated in place), then delivers it: with Teams' file flow (a consent card; on Allow the upload to the user's
 * OneDrive and a file card; on Decline nothing is kept), or, without Teams files (the Agents Playground), under
 * the local data folder. Between the card and the answer the CSV is a file owned by the requester through a
 * pending action (bot/pending/pendingActions.ts): only they, in that conversation, may answer, and only once.
 */
export class ExportService {
  private readonly files: ExportFiles;
  private readonly pending: PendingActions<PendingExport, { delivered: boolean }>;
  private readonly upload: (path: string, uploadUrl: string) => Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: ExportServiceDeps) {
    this.files = new ExportFiles({ pendingDir: deps.config.exports.pendingDir, ttlSeconds: TTL_SECONDS, clock: deps.clock });
    this.pending = new PendingActions(deps.store, { kind: 'exports', ttlSeconds: TTL_SECONDS, claimSeconds: 10 * 60, clock: deps.clock });
    this.upload = deps.upload ?? ((path, url) => uploadFile(path, url));
  }

  /** Collects the decisions of `reviews` as the asking user and offers (or, locally, writes) the file. */
  async export(context: FeatureContext, reviews: readonly ExportReview[]): Promise<FeatureReply> {
    await this.files.sweep();
    const names = reviews.map((review) => review.displayName ?? review.id);
    let state: Readonly<ExportProgress> = { reviewsTotal: reviews.length, reviewsRead: 0, pagesRead: 0, rows: 0 };
    const card = (title: string, note: string): Partial<Activity> => replyActivity({
      card: renderExportProgressCard({ title, reviewNames: names, ...state, note }),
    });
    const sent = await context.turn.sendActivity(card('Collecting decisions…', 'This card shows how far I have got.'));
    // The card is a courtesy: a refused update (Teams throttling) is logged, never the end of the export.
    const show = async (title: string, note: string): Promise<void> => {
      if (sent?.id === undefined) return;
      try {
        await context.turn.updateActivity({ ...card(title, note), id: sent.id });
      } catch (error) {
        this.deps.log.warn({ err: error, activityId: sent.id }, 'could not update the export progress card');
      }
    };
    const file = await this.files.create();
    let shownAt = 0;
    let size: number;
    try {
      state = await collectDecisions(context.graph.reviews, reviews, file, async (now) => {
        state = now;
        if (now.pagesRead - shownAt < PROGRESS_EVERY_PAGES) return;
        shownAt = now.pagesRead;
        await show('Collecting decisions…', 'This card shows how far I have got.');
      });
      size = await file.close();
    } catch (error) {
      await file.discard();
      await show('Export stopped', 'Nothing was kept.');
      throw error;
    }
    const summary = `${plural(state.rows, 'decision')} of ${plural(reviews.length, 'review')}`;
    const fileName = this.fileName(reviews);
    if (this.deps.config.exports.delivery === 'local') {
      // Several exports a day must not overwrite each other: the pending file's unique name ends the local one.
      const unique = fileName.replace(/\.csv$/, `-${file.path.slice(-12, -4)}.csv`);
      const path = await this.files.keep(file.path, this.deps.config.exports.localDir, unique);
      await show('Decisions collected', `Saved on this machine: ${path}`);
      return { text: `Saved ${summary} to \`${path}\` (the Agents Playground cannot receive files; in Teams you get a file card).` };
    }
    const requester = { id: context.userId, name: context.turn.activity.from?.name ?? 'the person who asked' };
    const action = await this.pending.start(requester, context.turn.activity.conversation.id, {
      file: file.path, fileName, size, rows: state.rows, reviews: reviews.length,
    });
    await show('Decisions collected', 'Press Allow on the file card to save the CSV to your OneDrive.');
    await context.turn.sendActivity({
      type: 'message',
      attachments: [fileConsentAttachment(fileName, `Access review decisions: ${summary} (CSV)`, size, { exportId: action.id, revision: action.revision })],
    });
    return { text: `**Allow** saves the CSV (${summary}) to your OneDrive; **Decline** discards it. It waits for one hour.` };
  }

  /**
   * `fileConsent/invoke` accept: only the requester, in that conversation, once. The invoke is answered at once and
   * the upload runs after it (Teams shows "Something went wrong" on an invoke that takes ~10 s, which a large file's
   * upload does: OfficeDev/Microsoft-Teams-Samples#620); the file card follows in the same conversation.
   */
  async accept(turn: TurnContext, response: FileConsentCardResponse): Promise<void> {
    await this.files.sweep();
    const opened = await this.open(turn, response);
    if (opened.kind !== 'open') return this.refuse(turn, opened);
    const { action } = opened;
    if (!(await this.pending.claim(action))) return this.refuse(turn, { kind: 'busy', action });
    const info = response.uploadInfo as Record<string, unknown> | undefined;
    const uploaded: UploadedFile | undefined = this.uploadedFile(info, action.payload.fileName);
    const uploadUrl = text(info?.uploadUrl);
    const problem = uploaded === undefined || uploadUrl === undefined || !this.allowedUploadUrl(uploadUrl)
      ? 'Teams did not give me a place to upload the file, so nothing was saved or kept. Type the export again to retry.'
      // Another replica, a restart or a sweep may have left this machine without the file.
      : (await this.files.sizeOf(action.payload.file)) !== action.payload.size
        ? 'The file is no longer here (the bot restarted or it expired), so nothing was saved. Type the export again.'
        : undefined;
    if (problem !== undefined || uploaded === undefined || uploadUrl === undefined) {
      this.deps.log.warn({ activityId: turn.activity.id }, 'file consent accept that cannot be uploaded');
      await this.files.remove(action.payload.file);
      await this.pending.finish(action, { delivered: false });
      await turn.sendActivity(problem ?? '');
      return;
    }
    const reference = TurnContext.getConversationReference(turn.activity);
    const adapter = turn.adapter;
    const delivery = this.deliver(action, uploaded, uploadUrl, (message) =>
      adapter.continueConversationAsync(this.deps.config.bot.appId, reference, async (later) => { await later.sendActivity(message); }));
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  /** Resolves when every upload started by an accept has ended (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** Uploads, then says how it went (the file card, or why not); removes the file and closes the pending export. Never rejects. */
  private async deliver(action: PendingAction<PendingExport, { delivered: boolean }>, uploaded: UploadedFile, uploadUrl: string,
    say: (message: Partial<Activity>) => Promise<void>): Promise<void> {
    let message: Partial<Activity>;
    let delivered = false;
    try {
      await this.upload(action.payload.file, uploadUrl);
      delivered = true;
      message = {
        type: 'message', textFormat: 'markdown',
        text: `Saved ${quoted(uploaded.name, 120)} to your OneDrive: ${plural(action.payload.rows, 'decision')} of ${plural(action.payload.reviews, 'review')}.`,
        attachments: [fileInfoAttachment(uploaded)],
      };
    } catch (error) {
      this.deps.log.warn({ code: isAppError(error) ? error.code : 'Internal', err: isAppError(error) ? error.cause : error, exportId: action.id }, 'export upload failed');
      message = { type: 'message', text: isAppError(error) ? error.userMessage : 'Sorry, the upload failed. Nothing was kept; type the export again to retry.' };
    }
    try {
      await this.files.remove(action.payload.file);
      await this.pending.finish(action, { delivered });
      await say(message);
    } catch (error) {
      this.deps.log.error({ err: error, exportId: action.id }, 'could not finish an export delivery');
    }
  }

  /** `fileConsent/invoke` decline: the owner's answer removes the file; nothing is kept. */
  async decline(turn: TurnContext, response: FileConsentCardResponse): Promise<void> {
    await this.files.sweep();
    const opened = await this.open(turn, response);
    if (opened.kind !== 'open') return this.refuse(turn, opened);
    const cancelled = await this.pending.cancel(opened.action);
    if (cancelled.kind !== 'final') return this.refuse(turn, cancelled);
    await this.files.remove(opened.action.payload.file);
    await turn.sendActivity(`Declined: I discarded **${opened.action.payload.fileName}**; nothing was kept.`);
  }

  private open(turn: TurnContext, response: FileConsentCardResponse): Promise<Opened<PendingExport, { delivered: boolean }>> {
    const context = (typeof response.context === 'object' && response.context !== null ? response.context : {}) as Record<string, unknown>;
    return this.pending.open({ id: context.exportId, revision: context.revision }, actorOf(turn));
  }

  private async refuse(turn: TurnContext, opened: Opened<PendingExport, { delivered: boolean }>): Promise<void> {
    const answer = opened.kind === 'notYours'
      ? `This file was prepared for ${opened.owner}: only they can save or decline it.`
      : opened.kind === 'unknown'
        ? 'This file is no longer waiting (it expired after an hour). Type the export again.'
        : 'This file was already saved or declined.';
    await turn.sendActivity(answer);
  }

  /** The accept's uploadInfo, checked (Teams may rename the file, e.g. when one of that name exists). */
  private uploadedFile(info: Record<string, unknown> | undefined, fallbackName: string): UploadedFile | undefined {
    const contentUrl = text(info?.contentUrl);
    const uniqueId = text(info?.uniqueId);
    if (contentUrl === undefined || uniqueId === undefined) return undefined;
    return { name: text(info?.name) ?? fallbackName, contentUrl, uniqueId, fileType: text(info?.fileType) ?? 'csv' };
  }

  /** https only (OneDrive); plain http only on loopback and only in local mode (the simulated Teams of the tests). */
  private allowedUploadUrl(url: string): boolean {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'https:') return true;
      return this.deps.config.localMode && parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname);
    } catch {
      return false;
    }
  }

  /** `<review name>-decisions-<date>.csv` for one review, `access-review-decisions-<date>.csv` for several; safe characters only. */
  private fileName(reviews: readonly ExportReview[]): string {
    const [only] = reviews;
    const base = reviews.length === 1 && only?.displayName ? only.displayName : 'access-review';
    const safe = base.normalize('NFKC').replace(/[^\p{L}\p{N} ._-]+/gu, '').replace(/\s+/g, ' ').trim().slice(0, 60) || 'access-review';
    return `${safe}-decisions-${todayOf(this.deps.clock)}.csv`;
  }
}
