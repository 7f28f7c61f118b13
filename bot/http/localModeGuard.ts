import { isIPv4 } from 'node:net';
import type restify from 'restify';
import type { Logger } from '../logger';
import { discardRest } from './jsonBody';

/** A Host header naming this machine: localhost, 127.0.0.0/8 or [::1], with any port. */
const LOOPBACK_HOST = /^(?:localhost|\[::1\]|127(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})(?::\d{1,5})?$/i;

export function isLoopbackHostHeader(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host);
}

/**
 * An http(s) URL on a loopback name. WHATWG parsing first, so the written forms of an address (`127.1`,
 * `0x7f.0.0.1`, upper case) are judged by what they mean; 0.0.0.0 reaches this machine too but is no loopback
 * name, so it is refused like any other address.
 */
export function isLoopbackServiceUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || (isIPv4(host) && host.startsWith('127.'));
}

/**
 * Local mode has no Bot Framework authentication: whoever can make this process receive a request is every
 * user. The Agents Playground, the simulated Teams client and `curl` are programs on this machine; a web page
 * is not. Browsers add `Origin` to cross-site POSTs (and fetch/XHR), and a DNS-rebinding page arrives with its
 * own name in `Host`, so both are refused (403) on every route before routing. A restify `pre` handler.
 */
export function localModeGuard(log: Logger): (req: restify.Request, res: restify.Response, next: restify.Next) => void {
  return function refuseBrowsers(req, res, next) {
    const origin = req.headers.origin;
    const reason = origin !== undefined ? 'origin header (a browser page)'
      : !isLoopbackHostHeader(req.headers.host) ? 'host header not on loopback' : undefined;
    if (reason === undefined) {
      next();
      return;
    }
    log.warn({ status: 403, method: req.method, path: req.path(), reason }, 'request refused (local mode)');
    res.json(403, { error: 'Forbidden' });
    discardRest(req);
    next(false);
  };
}
