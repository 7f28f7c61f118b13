import type { Attachment, FileConsentCard, FileInfoCard } from 'botbuilder';

/**
 * Teams' file attachments (bots in personal chat, learn.microsoft.com "Send and receive files using bot"): the
 * consent card asking to write a file to the user's OneDrive, and the file card shown once it is there.
 */
export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';

/** What Teams echoes back in the `fileConsent/invoke` (untrusted: checked against the pending export). */
export interface ExportConsentContext {
  exportId: string;
  revision: number;
}

export function fileConsentAttachment(name: string, description: string, sizeInBytes: number, context: ExportConsentContext): Attachment {
  const content: FileConsentCard = { description, sizeInBytes, acceptContext: context, declineContext: context };
  return { contentType: FILE_CONSENT_CARD, name, content };
}

/** The uploaded file as Teams shows it: its OneDrive link, name and drive item id from the accept's uploadInfo. */
export interface UploadedFile {
  name: string;
  contentUrl: string;
  uniqueId: string;
  fileType: string;
}

export function fileInfoAttachment(file: UploadedFile): Attachment {
  const content: FileInfoCard = { uniqueId: file.uniqueId, fileType: file.fileType };
  return { contentType: FILE_INFO_CARD, name: file.name, contentUrl: file.contentUrl, content };
}
