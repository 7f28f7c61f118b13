import type { KeyObject } from 'node:crypto';
import { keysFromJwks, tokenKid, TokenInvalidError, verifyJwt, type TokenClaims } from '../shared/jwt';
import { GraphError } from './errors';
import type { DirectoryStore, UserRow } from './store/directoryStore';

/** Who is calling: a signed-in user through an app (delegated scopes), or an app on its own (app roles). */
export type Caller =
  | { kind: 'user'; user: UserRow; appId: string; scopes: ReadonlySet<string> }
  | { kind: 'app'; appId: string; roles: ReadonlySet<string> };

export const GRAPH_AUDIENCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];

const unauthenticated = (message: string): GraphError => new GraphError(401, 'InvalidAuthenticationToken', message);

/** Verifies bearer tokens like Graph: signature against the identity provider's JWKS, issuer, audience, expiry. */
export class TokenVerifier {
  private keys = new Map<string, KeyObject>();
  private lastFetch = 0;

  constructor(private readonly jwksUrl: string, private readonly issuer: string) {}

  async caller(authorization: string | undefined, directory: DirectoryStore, nowMs: number): Promise<Caller> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) throw unauthenticated('Access token is empty.');
    const token = match[1];
    const kid = tokenKid(token);
    if (kid === undefined) throw unauthenticated('IDX14100: JWT is not well formed.');
    if (!this.keys.has(kid)) await this.refreshKeys(nowMs);
    let claims: TokenClaims;
    try {
      // Token lifetimes follow real time: the emulator clock moves reviews, not token expiry.
      claims = verifyJwt(token, this.keys, { issuer: this.issuer, audience: GRAPH_AUDIENCES });
    } catch (error) {
      if (error instanceof TokenInvalidError) throw unauthenticated(`Access token validation failure. ${error.message}`);
      throw error;
    }
    const appId = String(claims.azp ?? claims.appid ?? '');
    if (claims.idtyp === 'app' || (claims.scp === undefined && Array.isArray(claims.roles))) {
      return { kind: 'app', appId, roles: new Set(claims.roles ?? []) };
    }
    const user = claims.oid === undefined ? undefined : directory.user(claims.oid);
    if (!user) throw unauthenticated('The user in the token does not exist in this tenant.');
    return { kind: 'user', user, appId, scopes: new Set(String(claims.scp ?? '').split(' ').filter(Boolean)) };
  }

  private async refreshKeys(nowMs: number): Promise<void> {
    if (nowMs - this.lastFetch < 2000 && this.keys.size > 0) return;
    this.lastFetch = nowMs;
    const response = await fetch(this.jwksUrl);
    if (!response.ok) throw new GraphError(503, 'ServiceUnavailable', 'The identity provider keys could not be read.');
    this.keys = keysFromJwks((await response.json()) as { keys: object[] });
  }
}
