import type { Dataset } from '@fedzip/data';
import { type FederatedClient, type UpdateTransform, createNodeClient } from '@fedzip/client-sdk/node';

/** One simulated device: its id and local data. */
export interface DeviceSpec {
  readonly clientId: string;
  readonly data: Dataset;
  /** A simulated attacker's update rewrite (attacks.ts); honest devices have none. */
  readonly transformUpdate?: UpdateTransform;
}

/** Options of {@link runDevices}. */
export interface DevicesOptions {
  readonly url: string;
  readonly token: string;
  readonly devices: readonly DeviceSpec[];
  /** Where residuals persist between processes (none: in memory). */
  readonly residualDir?: string;
  readonly quiet?: boolean;
}

/**
 * Runs Node federated clients in this process (one tfjs backend, one Socket.IO connection each)
 * until they are closed by the server or stopped. Returns a stop function and a promise of the end.
 */
export async function runDevices(
  options: DevicesOptions,
): Promise<{ clients: FederatedClient[]; stop: () => Promise<void>; done: Promise<void> }> {
  const silent = { debug: () => {}, info: () => {}, warn: () => {} };
  const clients: FederatedClient[] = [];
  for (const d of options.devices) {
    const client = await createNodeClient({
      url: options.url,
      token: options.token,
      clientId: d.clientId,
      data: d.data,
      ...(d.transformUpdate ? { transformUpdate: d.transformUpdate } : {}),
      ...(options.residualDir ? { residualDir: options.residualDir } : {}),
      ...(options.quiet ? { logger: silent } : {}),
    });
    clients.push(client);
  }
  await Promise.all(clients.map((c) => c.start()));
  return {
    clients,
    stop: async () => {
      await Promise.all(clients.map((c) => c.stop()));
    },
    done: Promise.all(clients.map((c) => c.whenClosed())).then(() => undefined),
  };
}
