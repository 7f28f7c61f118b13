import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** The claims the local tenant's tokens carry (a subset of Entra's). */
export interface TokenClaims {
  iss: string;
  aud: string;
  exp: number;
  tid?: string;
  oid?: string;
  sub?: string;
  scp?: string;
  roles?: string[];
  idtyp?: string;
  appid?: string;
  azp?: string;
  name?: string;
  preferred_username?: string;
  [claim: string]: unknown;
}

export class TokenInvalidError extends Error {}

/** A key set keyed by `kid`, built from a JWKS document. */
export function keysFromJwks(jwks: { keys: ReadonlyArray<object> }): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks.keys as JsonWebKey[]) {
    const kid = typeof jwk.kid === 'string' ? jwk.kid : '';
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = jwk;
    keys.set(kid, createPublicKey({ key: publicPart, format: 'jwk' }));
  }
  return keys;
}

/** The `kid` in a JWT header, or undefined when the token is not a JWT. */
export function tokenKid(token: string): string | undefined {
  const decoded = jwt.decode(token, { complete: true });
  return decoded && typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined;
}

/**
 * Verifies an RS256 JWT's signature, issuer, audience and lifetime against the given keys.
 * `now` (seconds) lets the caller use its own clock.
 */
export function verifyJwt(
  token: string,
  keys: Map<string, KeyObject>,
  expected: { issuer: string; audience: string | string[]; nowSeconds?: number },
): TokenClaims {
  const kid = tokenKid(token);
  const key = kid === undefined ? undefined : keys.get(kid);
  if (!key) throw new TokenInvalidError('The token is not a JWT signed by a known key.');
  try {
    const audience = Array.isArray(expected.audience) ? expected.audience : [expected.audience];
    const claims = jwt.verify(token, key, {
      algorithms: ['RS256'],
      issuer: expected.issuer,
      audience: audience as [string, ...string[]],
      clockTimestamp: expected.nowSeconds,
    });
    if (typeof claims === 'string') throw new TokenInvalidError('The token has no claims.');
    return claims as TokenClaims;
  } catch (error) {
    if (error instanceof TokenInvalidError) throw error;
    throw new TokenInvalidError(error instanceof Error ? error.message : 'The token is invalid.', { cause: error });
  }
}
