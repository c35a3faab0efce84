/**
 * The `/client` page: a person opens it with a join token (pasted, or `?token=` / `#token=` in the
 * URL), picks local data (a demo MNIST partition the coordinator serves, or images they label) and
 * joins. The page then trains in the tab (tfjs wasm, binaries from the coordinator's `/wasm/`)
 * and shows, live, the round, the local training progress, bytes both ways and the compression
 * ratio of its updates. The residual and the model persist in IndexedDB, the client id in
 * localStorage, and the join choice in sessionStorage, so a reload rejoins where it was.
 *
 * URL parameters: `token`, `partition` (an index), `clientId` (override the stored id, e.g. for
 * two tabs of one browser), `join=1` (join at once). Tests read `window.fedzipClientState` and
 * may call `window.fedzipClient`.
 */
import {
  type ClientInfo,
  type FederatedClient,
  type Logger,
  createBrowserClient,
  fetchClientInfo,
  fetchPartition,
} from '../../../../libs/client-sdk/src/index.browser.js';
import { type TrainingData, backendInfo } from '../../../../libs/model/src/index.browser.js';
import { fileToSample, imageDims, labelFromName } from './images.js';

/** What the page shows, readable by tests as `window.fedzipClientState`. */
export interface ClientPageState {
  phase: string;
  experimentId: string | null;
  clientId: string;
  backend: string | null;
  source: 'partition' | 'images' | null;
  samples: number;
  round: number | null;
  modelVersion: number | null;
  /** The version restored from IndexedDB before joining, or null. */
  restoredVersion: number | null;
  /** The version held when the last `welcome` arrived (what `hello` stated). */
  joinedVersion: number | null;
  modelsFull: number;
  modelsDelta: number;
  /** Local training progress of the current round, 0–1. */
  progress: number;
  bytesSent: number;
  bytesReceived: number;
  /** Dense float32 bytes / encoded bytes of the last update sent. */
  ratio: number | null;
  residualNorm: number | null;
  updatesSent: number;
  acks: number;
  rejects: number;
  joins: number;
  errors: string[];
  log: string[];
}

declare global {
  interface Window {
    fedzipClientState: ClientPageState;
    fedzipClient: FederatedClient | null;
  }
}

const CLIENT_ID_KEY = 'fedzip.clientId';
const SESSION_KEY = 'fedzip.session';
const MAX_LOG = 300;

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} is missing`);
  return el as T;
};

function params(): URLSearchParams {
  const p = new URLSearchParams(location.search);
  for (const [k, v] of new URLSearchParams(location.hash.slice(1))) p.set(k, v);
  return p;
}

/** A stable id for this browser (localStorage), unless the URL names one. */
function clientIdOf(p: URLSearchParams): string {
  const asked = p.get('clientId');
  if (asked) return asked;
  let id = localStorage.getItem(CLIENT_ID_KEY);
  if (id === null) {
    const bytes = crypto.getRandomValues(new Uint8Array(5));
    id = `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    localStorage.setItem(CLIENT_ID_KEY, id);
  }
  return id;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

interface Session {
  readonly token: string;
  readonly partition: number;
}

const query = params();
const state: ClientPageState = {
  phase: 'idle',
  experimentId: null,
  clientId: clientIdOf(query),
  backend: null,
  source: null,
  samples: 0,
  round: null,
  modelVersion: null,
  restoredVersion: null,
  joinedVersion: null,
  modelsFull: 0,
  modelsDelta: 0,
  progress: 0,
  bytesSent: 0,
  bytesReceived: 0,
  ratio: null,
  residualNorm: null,
  updatesSent: 0,
  acks: 0,
  rejects: 0,
  joins: 0,
  errors: [],
  log: [],
};
window.fedzipClientState = state;
window.fedzipClient = null;

let info: ClientInfo | null = null;
/** Labelled images chosen in the form. */
let images: { sample: Float32Array; label: HTMLSelectElement }[] = [];

function log(level: keyof Logger, message: string): void {
  const line = `${new Date().toLocaleTimeString()} ${message}`;
  state.log.push(`${level}: ${message}`);
  if (state.log.length > MAX_LOG) state.log.shift();
  if (level === 'debug') return;
  const li = document.createElement('li');
  li.className = level;
  li.textContent = line;
  const list = $('log');
  list.prepend(li);
  while (list.childElementCount > MAX_LOG) list.lastElementChild?.remove();
}

function render(): void {
  document.body.dataset['phase'] = state.phase;
  $('phase').textContent = state.phase;
  $('round').textContent = state.round === null ? '–' : String(state.round);
  $('version').textContent =
    state.modelVersion === null
      ? '–'
      : `${state.modelVersion}${state.restoredVersion !== null ? ` (restored ${state.restoredVersion})` : ''}`;
  $('samples').textContent = state.samples ? String(state.samples) : '–';
  $('sent').textContent = formatBytes(state.bytesSent);
  $('received').textContent = formatBytes(state.bytesReceived);
  $('ratio').textContent = state.ratio === null ? '–' : `×${state.ratio.toFixed(1)} vs float32`;
  $('acks').textContent = `${state.acks}${state.rejects ? ` (${state.rejects} rejected)` : ''}`;
  $('backend').textContent = state.backend ?? '–';
  $<HTMLProgressElement>('progress').value = state.progress;
}

function showError(message: string): void {
  $('setup-error').textContent = message;
  state.errors.push(message);
  log('error', message);
}

// ── Data ──────────────────────────────────────────────────────────────────────────────────────

async function onFiles(files: FileList): Promise<void> {
  const list = $('images');
  list.replaceChildren();
  images = [];
  if (info === null) return;
  const dims = imageDims(info.inputShape);
  if (dims === null) {
    showError(`this experiment's samples ([${info.inputShape.join(', ')}]) are not images`);
    return;
  }
  for (const file of Array.from(files)) {
    let sample: Float32Array;
    try {
      sample = await fileToSample(file, info.inputShape);
    } catch (e) {
      showError(`${file.name}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const li = document.createElement('li');
    const canvas = document.createElement('canvas');
    canvas.width = dims.w;
    canvas.height = dims.h;
    const img = new ImageData(dims.w, dims.h);
    for (let i = 0; i < dims.w * dims.h; i++) {
      const v = Math.round(255 * sample[dims.c * i]!);
      img.data.set([v, v, v, 255], 4 * i);
    }
    canvas.getContext('2d')?.putImageData(img, 0, 0);
    const label = document.createElement('select');
    label.title = `label of ${file.name}`;
    for (let k = 0; k < info.numClasses; k++) label.add(new Option(String(k), String(k)));
    label.value = String(labelFromName(file.name, info.numClasses) ?? 0);
    li.append(canvas, label);
    list.append(li);
    images.push({ sample, label });
  }
  log('info', `${images.length} image(s) ready; check their labels`);
}

function imagesDataset(shape: readonly number[], numClasses: number): TrainingData {
  if (images.length === 0) throw new Error('choose at least one image');
  const f = images[0]!.sample.length;
  const x = new Float32Array(images.length * f);
  images.forEach((im, i) => x.set(im.sample, i * f));
  return { x, y: images.map((im) => Number(im.label.value)), n: images.length, shape, numClasses };
}

// ── Joining ───────────────────────────────────────────────────────────────────────────────────

let joining = false;

async function join(token: string, source: 'partition' | 'images', partition: number): Promise<void> {
  if (joining) return;
  joining = true;
  $<HTMLButtonElement>('join').disabled = true;
  $('setup-error').textContent = '';
  try {
    const info = await loadInfo(token);
    state.phase = 'loading';
    render();
    const data =
      source === 'partition'
        ? await fetchPartition(partition, token)
        : imagesDataset(info.inputShape, info.numClasses);
    state.source = source;
    state.samples = data.n;
    log(
      'info',
      `local data: ${data.n} samples (${source === 'partition' ? `partition ${partition}` : 'my images'})`,
    );
    const client = await createBrowserClient({
      token,
      clientId: state.clientId,
      data,
      experimentId: info.experimentId,
      logger: {
        debug: (m) => log('debug', m),
        info: (m) => log('info', m),
        warn: (m) => log('warn', m),
        error: (m) => log('error', m),
      },
    });
    window.fedzipClient = client;
    wire(client);
    if (source === 'partition') sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token, partition }));
    $('setup').hidden = true;
    $('live').hidden = false;
    await client.start();
  } catch (e) {
    state.phase = window.fedzipClient?.phase ?? 'idle';
    showError(e instanceof Error ? e.message : String(e));
    $('setup').hidden = false;
  } finally {
    joining = false;
    $<HTMLButtonElement>('join').disabled = false;
    render();
  }
}

function wire(client: FederatedClient): void {
  const sync = (): void => {
    const s = client.stats();
    state.phase = s.phase;
    state.modelVersion = s.modelVersion;
    state.bytesSent = s.bytesSent;
    state.bytesReceived = s.bytesReceived;
    render();
  };
  client.on('restored', (e) => {
    state.restoredVersion = e.version;
    state.modelVersion = e.version;
    render();
  });
  client.on('joined', (e) => {
    state.joins++;
    state.experimentId = e.experimentId;
    state.joinedVersion = e.modelVersion;
    const b = backendInfo();
    state.backend = b ? `${b.name}${b.simd ? ' (SIMD)' : ''}` : null;
    sync();
  });
  client.on('model', (e) => {
    if (e.kind === 'full') state.modelsFull++;
    else state.modelsDelta++;
    sync();
  });
  client.on('assigned', (e) => {
    state.round = e.roundId;
    state.progress = 0;
    $('progress-label').textContent = `round ${e.roundId}: local training (${e.localEpochs} epoch(s))`;
    sync();
  });
  client.on('progress', (e) => {
    state.progress = (e.epoch * e.batchesPerEpoch + e.batch + 1) / (e.epochs * e.batchesPerEpoch);
    $('progress-label').textContent =
      `round ${e.roundId}: epoch ${e.epoch + 1}/${e.epochs}, batch ${e.batch + 1}/${e.batchesPerEpoch}, loss ${e.loss.toFixed(3)}`;
    render();
  });
  client.on('sent', (e) => {
    state.updatesSent++;
    state.ratio = e.ratio;
    state.residualNorm = e.residualNorm;
    sync();
  });
  client.on('ack', () => {
    state.acks++;
    sync();
  });
  client.on('reject', () => {
    state.rejects++;
    sync();
  });
  for (const ev of ['disconnected', 'reconnected', 'skipped', 'trained', 'evaluated'] as const) {
    client.on(ev, sync);
  }
  client.on('error', (e) => {
    // The server's NOT_ACCEPTING ends the session when the experiment is over: not a failure.
    if (e.remoteCode !== 'NOT_ACCEPTING') state.errors.push(`${e.code}: ${e.message}`);
    sync();
  });
  client.on('closed', (e) => {
    const finished = e.error?.remoteCode === 'NOT_ACCEPTING';
    if (finished || e.error?.remoteCode === 'UNAUTHENTICATED') sessionStorage.removeItem(SESSION_KEY);
    if (finished) log('info', 'the experiment has finished');
    else log(e.error ? 'error' : 'info', `closed: ${e.reason}`);
    sync();
  });
}

async function leave(): Promise<void> {
  sessionStorage.removeItem(SESSION_KEY);
  await window.fedzipClient?.stop();
  $('setup').hidden = false;
}

// ── Start ─────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  $('client-id').textContent = state.clientId;
  const urlToken = query.get('token');
  if (urlToken) $<HTMLInputElement>('token').value = urlToken;
  const urlPartition = query.get('partition');
  if (urlPartition !== null) $<HTMLInputElement>('partition').value = urlPartition;
  $('files').addEventListener('change', (e) => {
    const files = (e.target as HTMLInputElement).files;
    if (files) void onFiles(files);
    document.querySelector<HTMLInputElement>('input[name=source][value=images]')!.checked = true;
  });
  $('leave').addEventListener('click', () => void leave());
  $('setup').addEventListener('submit', (e) => {
    e.preventDefault();
    const source = document.querySelector<HTMLInputElement>('input[name=source]:checked')!.value;
    void join(
      $<HTMLInputElement>('token').value.trim(),
      source === 'images' ? 'images' : 'partition',
      Number($<HTMLInputElement>('partition').value),
    );
  });
  render();
  // With the token (in the URL, or saved for a reload) the coordinator tells which of its
  // experiments it admits to; without one, it answers only when it hosts a single experiment.
  const saved = sessionStorage.getItem(SESSION_KEY);
  const savedSession = saved === null ? null : (JSON.parse(saved) as Session);
  try {
    await loadInfo(urlToken ?? savedSession?.token);
  } catch (e) {
    showError(`${e instanceof Error ? e.message : String(e)}: enter your join token`);
  }
  // A reload rejoins as it was (sessionStorage lives as long as the tab); `join=1` joins at once.
  if (query.get('join') === '1' && urlToken !== null) {
    await join(urlToken, 'partition', Number(urlPartition ?? 0));
  } else if (savedSession !== null) {
    await join(savedSession.token, 'partition', savedSession.partition);
  }
}

/** Fetches the experiment the token admits to and shows it. */
async function loadInfo(token: string | undefined): Promise<ClientInfo> {
  const i = await fetchClientInfo(undefined, token || undefined);
  info = i;
  state.experimentId = i.experimentId;
  $('exp-name').textContent = i.name;
  $('exp-id').textContent = i.experimentId;
  $('partitions').textContent = String(i.partitions);
  $<HTMLInputElement>('partition').max = String(Math.max(0, i.partitions - 1));
  document.querySelector<HTMLInputElement>('input[name=source][value=partition]')!.disabled =
    i.partitions === 0;
  return i;
}

void main();
