import type { IncomingMessage } from 'node:http';
import type { INestApplication } from '@nestjs/common';

/** The options of Nest's `app.enableCors`. */
type CorsOptions = Exclude<
  Parameters<INestApplication['enableCors']>[0],
  undefined | ((...args: never[]) => unknown)
>;

/**
 * Whether a request from a browser page at `origin` may reach the coordinator, given the
 * configured `allowed` origins (`server.corsOrigins`, `serve --cors-origin`):
 *
 * - no `Origin` header: not a cross-site browser request (Node clients, curl): allowed;
 * - the page's own origin (the `Origin` header names the `Host` the request was sent to): allowed;
 * - an origin in `allowed`, or any origin when `allowed` holds `*`: allowed;
 * - anything else (another site, `null` from sandboxed or file pages): refused.
 *
 * Browsers enforce CORS on HTTP requests only; a WebSocket handshake carries `Origin` but is not
 * checked by the browser, so the Socket.IO server applies this check itself (`allowRequest`).
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Nest's `enableCors` options for `allowed`, or null to send no CORS header (same-origin only). */
export function httpCors(allowed: readonly string[]): CorsOptions | null {
  if (allowed.length === 0) return null;
  return {
    origin: allowed.includes('*') ? '*' : [...allowed],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    credentials: false,
    maxAge: 600,
  };
}

/**
 * Socket.IO server options for `allowed`: the `cors` option (HTTP long-polling) when origins are
 * configured, and an `allowRequest` hook refusing handshakes from other origins (see
 * {@link originAllowed}), WebSocket upgrades included.
 */
export function socketCors(allowed: readonly string[]): {
  cors?: { origin: string | string[]; credentials: false };
  allowRequest: (req: IncomingMessage, fn: (err: string | null | undefined, ok: boolean) => void) => void;
} {
  const list = [...allowed];
  return {
    ...(list.length > 0 && {
      cors: { origin: list.includes('*') ? '*' : list, credentials: false as const },
    }),
    allowRequest: (req, fn) => fn(null, originAllowed(req.headers.origin, req.headers.host, list)),
  };
}
