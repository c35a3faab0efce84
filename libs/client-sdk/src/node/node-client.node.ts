/**
 * The Node entry: sets up the tfjs backend (`initBackend`: wasm, else cpu), connects over
 * Socket.IO, states `runtime: 'node'`, and persists the residual in files when asked.
 */
import { type BackendOptions, initBackend } from '@fedzip/model';
import { FederatedClient, type FederatedClientOptions } from '../client/federated-client.js';
import type { ResidualStore } from '../residual/residual-store.js';
import { SocketIoTransport, type SocketIoTransportOptions } from '../transport/socket-io-transport.js';
import { FileResidualStore } from './file-residual-store.node.js';

/** Options of {@link createNodeClient}: the client's, with a URL instead of a transport. */
export interface NodeClientOptions extends Omit<FederatedClientOptions, 'transport'> {
  /** The coordinator's URL, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** Socket.IO options (reconnection backoff and jitter, timeouts). */
  readonly socket?: Omit<SocketIoTransportOptions, 'url'>;
  /** Backend options for `initBackend`. */
  readonly backend?: BackendOptions;
  /** A directory for residual files (a `FileResidualStore`), unless `residualStore` is given. */
  readonly residualDir?: string;
}

/** Initialises the tfjs backend and builds a {@link FederatedClient} over Socket.IO. Call `start()` next. */
export async function createNodeClient(options: NodeClientOptions): Promise<FederatedClient> {
  const { url, socket, backend, residualDir, ...rest } = options;
  const info = await initBackend(backend);
  const residualStore: ResidualStore | undefined =
    rest.residualStore ?? (residualDir === undefined ? undefined : new FileResidualStore(residualDir));
  return new FederatedClient({
    ...rest,
    transport: new SocketIoTransport({ ...socket, url }),
    ...(residualStore ? { residualStore } : {}),
    capabilities: { runtime: 'node', backends: [info.name], ...rest.capabilities },
  });
}
