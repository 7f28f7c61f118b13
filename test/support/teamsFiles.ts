/**
 * Teams' file flow for bots in personal chat, as the simulated Teams client plays it (learn.microsoft.com "Send and
 * receive files using bot"; OneDrive "Upload bytes to the upload session"):
 * - the bot sends a FileConsentCard (`application/vnd.microsoft.teams.card.file.consent`, `name`, content
 *   `{ description, sizeInBytes, acceptContext, declineContext }`);
 * - the user's Allow makes Teams create an upload session in the user's OneDrive and send `fileConsent/invoke` with
 *   `{ type: 'fileUpload', action: 'accept', context: acceptContext, uploadInfo: { name, uploadUrl, contentUrl,
 *   uniqueId, fileType, etag } }`; Decline sends `{ type: 'fileUpload', action: 'decline', context: declineContext }`;
 * - the bot PUTs the bytes to `uploadUrl` in order, `Content-Range: bytes <first>-<last>/<size>`, each range but the
 *   last a multiple of 320 KiB and under 60 MiB, no Authorization header: 202 with `nextExpectedRanges` until the
 *   last range, then 201 with the driveItem; a range already received gets 416.
 * The sink records every session and what was uploaded.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isObject, stringField, type JsonObject } from './teamsActivities';

export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';
const UNIT = 327_680;
const MAX_RANGE = 60 * 1024 * 1024;

/** One upload session Teams opened on an Allow. */
export interface UploadSession {
  id: string;
  /** The name in OneDrive (the consent card's, renamed " (1)" when taken). */
  name: string;
  /** The user whose OneDrive receives it (their object id). */
  owner: string;
  uploadUrl: string;
  contentUrl: string;
  uniqueId: string;
  /** The byte ranges received, in order. */
  ranges: Array<{ first: number; last: number; total: number }>;
  /** Every PUT's answer status, in order (202, 201, 416, 400…). */
  statuses: number[];
  /** Whether any PUT carried an Authorization header (OneDrive may refuse it). */
  sawAuthorization: boolean;
  received: Buffer[];
  complete: boolean;
}

/** The consent card of a bot activity: its file name and content. */
export interface ConsentCard { name: string; description: string; sizeInBytes: number; acceptContext: unknown; declineContext: unknown }

export function consentCardOf(activity: JsonObject): ConsentCard | undefined {
  const attachments = Array.isArray(activity.attachments) ? (activity.attachments as unknown[]) : [];
  const card = attachments.find((item) => stringField(item, 'contentType') === FILE_CONSENT_CARD);
  if (!isObject(card) || !isObject(card.content)) return undefined;
  const size = card.content.sizeInBytes;
  return {
    name: stringField(card, 'name') ?? '', description: stringField(card.content, 'description') ?? '',
    sizeInBytes: typeof size === 'number' ? size : -1, acceptContext: card.content.acceptContext, declineContext: card.content.declineContext,
  };
}

/** The OneDrive side of the file flow: sessions by id, each uploaded file's bytes. */
export class FileSink {
  readonly sessions: UploadSession[] = [];

  constructor(private readonly baseUrl: () => string) {}

  /** Opens a session for `name` in `owner`'s OneDrive (what Teams does on Allow) and gives the accept's uploadInfo. */
  open(owner: string, upn: string, name: string): { session: UploadSession; uploadInfo: JsonObject } {
    const taken = new Set(this.sessions.filter((s) => s.owner === owner).map((s) => s.name));
    const dot = name.lastIndexOf('.');
    let finalName = name;
    for (let n = 1; taken.has(finalName); n += 1) finalName = dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
    const id = randomUUID();
    const session: UploadSession = {
      id, name: finalName, owner, uploadUrl: `${this.baseUrl()}upload/${id}`,
      contentUrl: `https://contoso-my.sharepoint.com/personal/${upn.replace(/[@.]/g, '_')}/Documents/Applications/${encodeURIComponent(finalName)}`,
      uniqueId: randomUUID().toUpperCase(), ranges: [], statuses: [], sawAuthorization: false, received: [], complete: false,
    };
    this.sessions.push(session);
    const fileType = dot > 0 ? name.slice(dot + 1) : '';
    return { session, uploadInfo: { name: finalName, uploadUrl: session.uploadUrl, contentUrl: session.contentUrl, uniqueId: session.uniqueId, fileType, etag: '1' } };
  }

  /** The bytes of a completed upload. */
  bytesOf(session: UploadSession): Buffer {
    return Buffer.concat(session.received);
  }

  /** Serves `PUT /upload/{id}`; answers as OneDrive's upload session does. */
  async handle(request: IncomingMessage, response: ServerResponse, id: string): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const session = this.sessions.find((s) => s.id === id);
    const answer = (status: number, json?: unknown): void => {
      session?.statuses.push(status);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(json === undefined ? '' : JSON.stringify(json));
    };
    const fail = (status: number, code: string, message: string): void => answer(status, { error: { code, message } });
    if (session === undefined) return fail(404, 'itemNotFound', 'The upload session does not exist');
    if (request.headers.authorization !== undefined) session.sawAuthorization = true;
    if (request.method !== 'PUT') return fail(405, 'invalidRequest', `${request.method ?? ''} is not allowed`);
    if (session.complete) return fail(416, 'invalidRange', 'The upload is complete');
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(request.headers['content-range'] ?? '');
    if (range === null) return fail(400, 'invalidRequest', 'Content-Range must be bytes <first>-<last>/<size>');
    const [first, last, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    const received = session.received.reduce((sum, chunk) => sum + chunk.length, 0);
    const length = last - first + 1;
    if (request.headers['content-length'] !== String(body.length) || body.length !== length) return fail(400, 'invalidRequest', 'Content-Length does not match the range');
    if (session.ranges.length > 0 && session.ranges[0]?.total !== total) return fail(400, 'invalidRequest', 'The file size changed');
    if (first < received) return fail(416, 'invalidRange', 'The range was already received');
    if (first > received) return fail(400, 'invalidRange', 'Ranges must be uploaded in order');
    if (length > MAX_RANGE) return fail(413, 'invalidRange', 'A range is at most 60 MiB');
    const isLast = last === total - 1;
    if (!isLast && length % UNIT !== 0) return fail(400, 'invalidRange', 'A range but the last must be a multiple of 320 KiB');
    session.ranges.push({ first, last, total });
    session.received.push(body);
    if (!isLast) return answer(202, { expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(), nextExpectedRanges: [`${last + 1}-`] });
    session.complete = true;
    return answer(201, { id: session.uniqueId, name: session.name, size: total, file: {} });
  }
}
