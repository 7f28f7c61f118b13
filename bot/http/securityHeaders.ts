import { randomBytes } from 'node:crypto';
import type restify from 'restify';

/**
 * The policy of everything the bot serves that is not one of its pages (JSON, redirects, errors): nothing may
 * load, run, frame it or be submitted from it, should a browser ever render such an answer.
 */
export const STRICT_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A fresh nonce for one response's inline scripts (128 random bits, base64). */
export const newNonce = (): string => randomBytes(16).toString('base64');

/**
 * The policy of an HTML page whose scripts carry `nonce` or come from `scriptOrigins`. No 'unsafe-inline': an
 * injected <script> without the nonce does not run. No frame-ancestors: Teams opens the sign-in pages in its
 * own pop-up or web view, and a page of fixed text offers nothing to click-jack.
 */
export const pagePolicy = (nonce: string, scriptOrigins: readonly string[]): string =>
  [`default-src 'none'`, `script-src 'nonce-${nonce}' ${scriptOrigins.join(' ')}`, `base-uri 'none'`, `form-action 'none'`].join('; ');

/**
 * A restify `pre` handler, so it runs before routing and every answer carries the headers: pages, JSON,
 * redirects, 404s and 405s alike. A page replaces the Content-Security-Policy with its own ({@link pagePolicy}).
 * No-referrer: the sign-in end page's URL holds the authorization code, and it loads Teams' script from a CDN.
 */
export function securityHeaders(_req: restify.Request, res: restify.Response, next: restify.Next): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('content-security-policy', STRICT_POLICY);
  res.setHeader('referrer-policy', 'no-referrer');
  next();
}
