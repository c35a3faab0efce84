/**
 * Shared fixtures of the client specs: a tiny dataset and MLP, a server-side model to distribute,
 * and a re-run of local training outside the client, to check the client's update bit for bit.
 */
import { makeSyntheticDataset } from '@fedzip/data';
import { createModel, getFlatWeights, setFlatWeights, trainLocal, weightLayout } from '@fedzip/model';
import type { AssignMessage, LayoutEntry } from '@fedzip/protocol';
import { FederatedClient, type FederatedClientOptions } from '../client/federated-client.js';
import type { ClientEventMap } from '../events.js';
import { FakeServer } from './fake-server.js';
import { FakeTransport } from './fake-transport.js';

export const DATA = makeSyntheticDataset({ n: 48, shape: [6], numClasses: 3, seed: 1 });
export const MODEL = { kind: 'mlp', hidden: [5] as readonly number[] } as const;
export const ARCHITECTURE = JSON.stringify({ model: MODEL, inputShape: [6], numClasses: 3 });
/** 6·5 + 5 + 5·3 + 3. */
export const PARAMS = 53;

/** Initial global weights and their layout, from a model the "server" built. */
export function serverModel(
  seed = 3,
  hidden = MODEL.hidden,
): { weights: Float32Array; layout: LayoutEntry[] } {
  const m = createModel({ kind: 'mlp', hidden }, DATA, { seed });
  const weights = getFlatWeights(m);
  const layout = weightLayout(m).entries.map((e) => ({ name: e.name, shape: [...e.shape] }));
  m.dispose();
  return { weights, layout };
}

/** w_local − w_base as the client should compute it for `assign`, trained outside the client. */
export async function expectedDelta(base: Float32Array, a: AssignMessage): Promise<Float32Array> {
  const m = createModel(MODEL, DATA, { seed: 0 });
  setFlatWeights(m, base);
  await trainLocal(m, DATA, {
    optimizer: a.optimizer as 'sgd',
    lr: a.lr,
    epochs: a.localEpochs,
    batchSize: a.batchSize,
    seed: a.seed,
    fedproxMu: a.proxMu,
    globalWeights: base,
  });
  const local = getFlatWeights(m);
  m.dispose();
  return local.map((v, i) => v - base[i]!);
}

/** A client, its fake transport and a fake server holding version 1 of {@link serverModel}. */
export function setup(options: Partial<FederatedClientOptions> = {}, seed = 3) {
  const transport = new FakeTransport();
  const { weights, layout } = serverModel(seed);
  const server = new FakeServer({ transport, architecture: ARCHITECTURE, layout, weights });
  const client = new FederatedClient({ transport, token: 'tok', clientId: 'c1', data: DATA, ...options });
  return { transport, server, client, layout };
}

/** Resolves with the next `event` of `client`. */
export function next<K extends keyof ClientEventMap>(
  client: FederatedClient,
  event: K,
): Promise<ClientEventMap[K]> {
  return new Promise((resolve) => client.once(event, resolve));
}

/** Records every event of `client` by name, in order. */
export function recordEvents(client: FederatedClient): (keyof ClientEventMap)[] {
  const names: (keyof ClientEventMap)[] = [];
  const all: (keyof ClientEventMap)[] = [
    'joined',
    'model',
    'assigned',
    'progress',
    'trained',
    'sent',
    'ack',
    'reject',
    'skipped',
    'evaluated',
    'error',
    'disconnected',
    'reconnected',
    'closed',
  ];
  for (const name of all) client.on(name, () => names.push(name));
  return names;
}

/** Starts `client` and waits for the first model too (the server sends it right after `welcome`). */
export async function join(client: FederatedClient): Promise<ClientEventMap['joined']> {
  const model = next(client, 'model');
  const joined = await client.start();
  await model;
  return joined;
}
