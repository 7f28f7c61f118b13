import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type restify from 'restify';
import type { Logger } from '../logger';

/**
 * The privacy statement and terms of use the Teams manifest links to (`developer.privacyUrl`, `termsOfUseUrl`:
 * `https://<bot domain>/privacy` and `/terms`). Their text is `manifest/privacy.md` and `manifest/terms.md`, for an
 * administrator to edit; it is read on every request, so an edit shows without a restart. Public pages: no
 * sign-in, GET only, the security headers of every answer (strict CSP: the page has no script and no style).
 */
export type LegalPage = 'privacy' | 'terms';

export const LEGAL_FILES: Readonly<Record<LegalPage, string>> = { privacy: 'privacy.md', terms: 'terms.md' };

/** `manifest/` beside the sources (tsx, tests) or, from the build (`dist/bot/http`), one level further up. */
export function legalPagesDir(): string {
  const candidates = [resolve(__dirname, '..', '..', 'manifest'), resolve(__dirname, '..', '..', '..', 'manifest')];
  return candidates.find((dir) => existsSync(join(dir, LEGAL_FILES.privacy))) ?? candidates[0] ?? 'manifest';
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * A small Markdown subset, everything escaped (the file is text, never markup): `# ` and `## ` headings, `- `
 * list items, paragraphs separated by blank lines. The first heading is the page title.
 */
export function renderLegalPage(markdown: string, fallbackTitle: string): string {
  const body: string[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  let title: string | undefined;
  const flush = (): void => {
    if (paragraph.length > 0) body.push(`<p>${paragraph.map(escapeHtml).join(' ')}</p>`);
    if (list.length > 0) body.push(`<ul>${list.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`);
    paragraph = [];
    list = [];
  };
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (line === '') flush();
    else if (heading) {
      flush();
      const level = Math.min((heading[1] ?? '#').length, 3);
      title ??= heading[2];
      body.push(`<h${level}>${escapeHtml(heading[2] ?? '')}</h${level}>`);
    } else if (/^[-*]\s+/.test(line)) {
      if (paragraph.length > 0) flush();
      list.push(line.replace(/^[-*]\s+/, ''));
    } else {
      if (list.length > 0) flush();
      paragraph.push(line);
    }
  }
  flush();
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title ?? fallbackTitle)}</title></head>\n<body>\n${body.join('\n')}\n</body></html>\n`;
}

/** The restify handler of one page: 200 text/html from its file, 404 when an administrator removed the file. */
export function legalPageRoute(page: LegalPage, log: Logger, dir: string = legalPagesDir()): restify.RequestHandler {
  const fallbackTitle = page === 'privacy' ? 'Privacy statement' : 'Terms of use';
  return async (_req, res) => {
    let markdown: string;
    try {
      markdown = await readFile(join(dir, LEGAL_FILES[page]), 'utf8');
    } catch (error) {
      log.warn({ page, code: (error as NodeJS.ErrnoException).code }, 'legal page file not readable');
      res.json(404, { error: 'Not Found' });
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'public, max-age=300');
    res.sendRaw(200, renderLegalPage(markdown, fallbackTitle));
  };
}
