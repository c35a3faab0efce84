/**
 * Signed join tokens: `fz1.<payload>.<mac>`, where the payload is base64url JSON
 * `{ e: experimentId, c?: clientId, x?: expiry (unix s), n: nonce }` and the mac is
 * HMAC-SHA256(secret, "fz1." + payload), base64url. The experiment's secret never leaves the
 * coordinator, so a token can be checked without a lookup table, and it only admits to the
 * experiment it names (and, when bound, only as that client id).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'fz1.';

/** What a valid token grants. */
export interface JoinGrant {
  readonly experimentId: string;
  /** Set when the token is bound to one client id. */
  readonly clientId?: string;
  /** Unix seconds; absent: no expiry. */
  readonly expiresAt?: number;
}

/** Why a token was refused. */
export type JoinTokenFault = 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED' | 'WRONG_CLIENT';

/** The result of checking a token. */
export type JoinCheck =
  | { readonly ok: true; readonly grant: JoinGrant }
  | { readonly ok: false; readonly fault: JoinTokenFault; readonly reason: string };

/** A fresh experiment secret (32 random bytes, base64url). */
export function newJoinSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `token` has the signed-token shape (else it may be a plain shared token). */
export function isSignedJoinToken(token: string): boolean {
  return token.startsWith(PREFIX);
}

function mac(secret: string, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed).digest();
}

/** Issues a token for `grant`, signed with the experiment's `secret`. */
export function issueJoinToken(secret: string, grant: JoinGrant): string {
  const body: Record<string, string | number> = {
    e: grant.experimentId,
    n: randomBytes(6).toString('base64url'),
  };
  if (grant.clientId !== undefined) body['c'] = grant.clientId;
  if (grant.expiresAt !== undefined) body['x'] = grant.expiresAt;
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${PREFIX}${payload}.${mac(secret, PREFIX + payload).toString('base64url')}`;
}

/**
 * The experiment a token names, without checking it (to find the secret to check it with), or
 * undefined when it is not a well-formed signed token.
 */
export function joinTokenExperiment(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || `${parts[0]}.` !== PREFIX) return undefined;
  const body = decodePayload(parts[1]!);
  return body?.e;
}

interface Payload {
  e: string;
  c?: string;
  x?: number;
}

function decodePayload(payload: string): Payload | undefined {
  try {
    const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null) return undefined;
    const o = v as Record<string, unknown>;
    if (typeof o['e'] !== 'string' || o['e'] === '') return undefined;
    if (o['c'] !== undefined && typeof o['c'] !== 'string') return undefined;
    if (o['x'] !== undefined && (typeof o['x'] !== 'number' || !Number.isFinite(o['x']))) return undefined;
    return o as unknown as Payload;
  } catch {
    return undefined;
  }
}

/**
 * Checks a token against the experiment's `secret`, the clock (`nowSeconds`) and, when the token
 * is bound, the client id it is presented with (`null`: by no client yet, so the binding is not
 * checked: a page asking which experiment its token is for).
 */
export function checkJoinToken(
  token: string,
  secret: string,
  clientId: string | null,
  nowSeconds: number,
): JoinCheck {
  const parts = token.split('.');
  const body = parts.length === 3 && `${parts[0]}.` === PREFIX ? decodePayload(parts[1]!) : undefined;
  if (!body) return { ok: false, fault: 'MALFORMED', reason: 'the join token is malformed' };
  const given = Buffer.from(parts[2]!, 'base64url');
  const expected = mac(secret, PREFIX + parts[1]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, fault: 'BAD_SIGNATURE', reason: 'the join token is not valid for this experiment' };
  }
  if (body.x !== undefined && nowSeconds >= body.x) {
    return {
      ok: false,
      fault: 'EXPIRED',
      reason: `the join token expired at ${new Date(body.x * 1000).toISOString()}`,
    };
  }
  if (body.c !== undefined && clientId !== null && body.c !== clientId) {
    return { ok: false, fault: 'WRONG_CLIENT', reason: `the join token is bound to another client id` };
  }
  return {
    ok: true,
    grant: {
      experimentId: body.e,
      ...(body.c === undefined ? {} : { clientId: body.c }),
      ...(body.x === undefined ? {} : { expiresAt: body.x }),
    },
  };
}
