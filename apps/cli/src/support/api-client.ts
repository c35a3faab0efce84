/**
 * A small client of the coordinator's REST API for the CLI (`fedzip ls`, `fedzip status`): the
 * admin token goes as a bearer token, and every failure becomes one `CliError` line that says
 * what to fix (wrong URL, refused token, unknown experiment).
 */
import { CliError } from './errors.js';

/** Where the API is and how to authenticate. */
export interface ApiTarget {
  /** The coordinator's base URL, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The admin token (`--admin-token` or `FEDZIP_ADMIN_TOKEN`). */
  readonly token: string;
}

/** The admin token from the option, else the environment. @throws CliError when neither is set. */
export function adminToken(option: string | undefined): string {
  const token = option ?? process.env['FEDZIP_ADMIN_TOKEN'];
  if (!token) throw new CliError('no admin token: pass --admin-token or set FEDZIP_ADMIN_TOKEN');
  return token;
}

/** GETs `path` (e.g. `/api/experiments`) and returns the parsed JSON body. */
export async function apiGet<T>(target: ApiTarget, path: string): Promise<T> {
  const url = new URL(path, target.url.endsWith('/') ? target.url : `${target.url}/`);
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { authorization: `Bearer ${target.token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    const c = (e as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? (e instanceof Error ? e.message : String(e));
    throw new CliError(`cannot reach the coordinator at ${target.url} (${cause})`);
  }
  const body = await res.text();
  if (res.status === 401 || res.status === 403)
    throw new CliError(`the coordinator refused the admin token (${res.status})`);
  if (!res.ok) {
    let message = body;
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      // not JSON: keep the text
    }
    throw new CliError(`${res.status} from ${url.pathname}: ${message}`);
  }
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new CliError(`${url.pathname} answered with something other than JSON`);
  }
}
