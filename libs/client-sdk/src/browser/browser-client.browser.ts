/**
 * The browser entry's client factory and the coordinator's small HTTP side for pages: the wasm
 * backend loads its `.wasm` binaries from the coordinator itself (`/wasm/`, never a CDN), state
 * persists in IndexedDB, and `GET /client/info` / `GET /client/data/:index` tell a page which
 * experiment runs (to restore its model before joining) and hand it a demo partition.
 */
import { type BackendOptions, initBackend } from '@fedzip/model';
import { FederatedClient, type FederatedClientOptions } from '../client/federated-client.js';
import type { ClientInfo } from '../data/client-info.js';
import { decodeDatasetBytes } from '../data/dataset-bytes.js';
import type { ModelStore } from '../model/model-store.js';
import type { ResidualStore } from '../residual/residual-store.js';
import { SocketIoTransport, type SocketIoTransportOptions } from '../transport/socket-io-transport.js';
import type { TrainingData } from '@fedzip/model';
import { DEFAULT_DB_NAME, IndexedDbModelStore, IndexedDbResidualStore } from './indexeddb-stores.browser.js';

/** The coordinator's origin: `url` without a trailing slash, default the page's own. */
function origin(url: string | undefined): string {
  const base = url ?? globalThis.location?.origin;
  if (base === undefined) throw new Error('fedzip: no coordinator URL and no page origin');
  return base.replace(/\/+$/, '');
}

async function ok(response: Response, what: string): Promise<Response> {
  if (response.ok) return response;
  let detail = '';
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === 'string') detail = `: ${body.message}`;
  } catch {
    // not JSON
  }
  throw new Error(`${what} failed with HTTP ${response.status}${detail}`);
}

/** `GET /client/info` of the coordinator at `url` (default: the page's origin). */
export async function fetchClientInfo(url?: string, token?: string): Promise<ClientInfo> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const r = await ok(await fetch(`${origin(url)}/client/info`, { headers }), 'GET /client/info');
  return (await r.json()) as ClientInfo;
}

/**
 * Demo partition `index` of the running experiment (`GET /client/data/:index`, the join token as
 * a bearer token): the local data a simulated device would hold.
 *
 * @throws Error with the HTTP status (401 bad token, 404 no such partition) or a decode failure.
 */
export async function fetchPartition(index: number, token: string, url?: string): Promise<TrainingData> {
  const r = await ok(
    await fetch(`${origin(url)}/client/data/${index}`, { headers: { authorization: `Bearer ${token}` } }),
    `GET /client/data/${index}`,
  );
  return decodeDatasetBytes(new Uint8Array(await r.arrayBuffer()));
}

/** Options of {@link createBrowserClient}: the client's, with a URL instead of a transport. */
export interface BrowserClientOptions extends Omit<
  FederatedClientOptions,
  'transport' | 'residualStore' | 'modelStore'
> {
  /** The coordinator's URL. Default: the page's origin. */
  readonly url?: string;
  /** Socket.IO options (reconnection backoff, timeouts). */
  readonly socket?: Omit<SocketIoTransportOptions, 'url'>;
  /** Backend options; `wasmPath` defaults to the coordinator's `/wasm/`. */
  readonly backend?: BackendOptions;
  /** Where the residual persists. Default: IndexedDB; `false`: in memory only. */
  readonly residualStore?: ResidualStore | false;
  /**
   * Where the held model persists (restored when `experimentId` is given). Default: IndexedDB;
   * `false`: not persisted.
   */
  readonly modelStore?: ModelStore | false;
  /** The IndexedDB database of the default stores. Default `fedzip`. */
  readonly dbName?: string;
}

/**
 * Initialises the tfjs wasm backend with the coordinator's `.wasm` files (cpu when wasm cannot
 * start), and builds a {@link FederatedClient} over Socket.IO stating `runtime: 'browser'`, with
 * its residual and model persisted in IndexedDB. Call `start()` next.
 */
export async function createBrowserClient(options: BrowserClientOptions): Promise<FederatedClient> {
  const { url, socket, backend, residualStore, modelStore, dbName, ...rest } = options;
  const base = origin(url);
  const info = await initBackend({ wasmPath: `${base}/wasm/`, ...backend });
  const db = dbName ?? DEFAULT_DB_NAME;
  const residuals = residualStore === false ? undefined : (residualStore ?? new IndexedDbResidualStore(db));
  const models = modelStore === false ? undefined : (modelStore ?? new IndexedDbModelStore(db));
  return new FederatedClient({
    ...rest,
    transport: new SocketIoTransport({ ...socket, url: base }),
    ...(residuals ? { residualStore: residuals } : {}),
    ...(models ? { modelStore: models } : {}),
    capabilities: { runtime: 'browser', backends: [info.name], ...rest.capabilities },
  });
}
