/**
 * The live dashboard (`/dashboard/`): connects to the coordinator's read-only admin namespace
 * with the admin token from the URL fragment (`#token=…`, kept out of server logs), renders the
 * snapshot, then follows the pushed events. See docs/dashboard.md.
 */
import {
  ADMIN_NAMESPACE,
  type AdminClientToServerEvents,
  AdminConnectError,
  type AdminServerToClientEvents,
  type AdminSnapshot,
  type RoundRecord,
} from '@fedzip/protocol';
import { type Socket, io } from 'socket.io-client';
import { type RunCharts, mountRunCharts } from '../charts/run-charts.js';
import { compressionRatio, formatBytes } from '../charts/run-series.js';
import {
  type AdminEvent,
  applyAdminEvent,
  configLines,
  displayedRound,
  latestAccuracy,
  latestEpsilon,
  tokenFromHash,
} from './dashboard-state.js';

const TOKEN_KEY = 'fedzip-admin-token';
/** Rows of the round timeline kept in the page (newest). */
const TIMELINE_ROWS = 200;

type Conn = 'connecting' | 'live' | 'refused' | 'disconnected';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from the page`);
  return el as T;
};

let state: AdminSnapshot | null = null;
let charts: RunCharts | null = null;
let socket: Socket<AdminServerToClientEvents, AdminClientToServerEvents> | null = null;

function readToken(): string {
  const fromHash = tokenFromHash(location.hash);
  if (fromHash !== null) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromHash);
    } catch {
      // storage may be disabled: the token then lives only in this page
    }
    // Drop the token from the address bar (and from anything copied from it).
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

function setConn(conn: Conn, detail = ''): void {
  document.body.dataset['conn'] = conn;
  const el = $('conn');
  el.dataset['conn'] = conn;
  el.textContent =
    conn === 'live'
      ? 'live'
      : conn === 'connecting'
        ? 'connecting…'
        : conn === 'refused'
          ? 'access refused'
          : 'disconnected';
  const alert = $('alert');
  alert.hidden = conn !== 'refused' && conn !== 'disconnected';
  $('auth-form').hidden = conn !== 'refused';
  $('alert-text').textContent = detail;
}

function connect(token: string): void {
  socket?.close();
  setConn('connecting');
  const s: Socket<AdminServerToClientEvents, AdminClientToServerEvents> = io(ADMIN_NAMESPACE, {
    auth: { token },
    transports: ['websocket'],
  });
  socket = s;
  s.on('connect', () => setConn('live'));
  s.on('connect_error', (err) => {
    if (err.message === AdminConnectError.Unauthorized) {
      s.close();
      setConn(
        'refused',
        token === ''
          ? 'Admin token required. Open the dashboard URL printed by fedzip (…/dashboard/#token=…), or enter the token below.'
          : 'Admin token refused by the coordinator. Check the token and try again.',
      );
    } else if (err.message === AdminConnectError.TooMany) {
      s.close();
      setConn('refused', 'The coordinator has too many dashboards open; close one and reload.');
    } else {
      setConn('disconnected', `Cannot reach the coordinator (${err.message}); retrying…`);
    }
  });
  s.on('disconnect', (reason) => {
    if (s === socket) setConn('disconnected', `Connection lost (${reason}); the last state stays shown.`);
  });
  const on = <E extends AdminEvent['type']>(type: E) =>
    s.on(type, ((data: unknown) => apply({ type, data } as AdminEvent)) as never);
  on('snapshot');
  on('clients');
  on('progress');
  on('round-opened');
  on('round-closed');
  on('finished');
}

function apply(event: AdminEvent): void {
  const prev = state;
  state = applyAdminEvent(state, event);
  if (!state) return;
  renderHeader(state);
  renderCounts(state);
  if (prev === null || prev.records !== state.records) {
    renderCharts(state.records);
    renderTimeline(state.records);
  }
  if (prev === null || event.type === 'snapshot') renderConfig(state);
}

function renderHeader(s: AdminSnapshot): void {
  $('exp-name').textContent = s.experiment.name;
  $('exp-id').textContent = s.experiment.id;
  document.title = `${s.experiment.name} · fedzip dashboard`;
  const status = $('status');
  status.textContent = s.status;
  status.dataset['status'] = s.status;
  status.title = s.reason ?? '';
  const round = displayedRound(s);
  const roundEl = $('round');
  roundEl.textContent = String(round);
  roundEl.dataset['round'] = String(round);
  $('round-of').textContent = `of ${s.experiment.rounds}`;
  $('round-note').textContent = s.current
    ? `attempt ${s.current.attempt} · training from v${s.current.version}`
    : s.status === 'waiting'
      ? 'waiting for clients'
      : s.status === 'running'
        ? 'between rounds'
        : s.status === 'failed'
          ? `failed${s.reason ? `: ${s.reason}` : ''}`
          : 'finished';
}

function renderCounts(s: AdminSnapshot): void {
  const c = s.clients;
  $('n-connected').textContent = String(c.connected);
  $('n-selected').textContent = String(c.selected);
  $('n-reported').textContent = String(c.reported);
  $('n-dropped').textContent = String(c.dropped);
  $('counts-note').textContent = s.current
    ? `round ${s.current.round}`
    : s.records.length
      ? 'last round'
      : '';
  const t = s.totals;
  $('t-uplink').textContent = formatBytes(t.uplinkBytes);
  $('t-downlink').textContent = formatBytes(t.downlinkBytes);
  const up = compressionRatio(t.denseUplinkBytes, t.uplinkBytes);
  const down = compressionRatio(t.denseDownlinkBytes, t.downlinkBytes);
  $('t-ratio').textContent =
    `${up === null ? '–' : `${up.toFixed(1)}×`} / ${down === null ? '–' : `${down.toFixed(1)}×`}`;
  const acc = latestAccuracy(s.records);
  $('t-accuracy').textContent = acc === null ? '–' : `${(acc * 100).toFixed(2)} %`;
  const eps = latestEpsilon(s.records);
  const epsLine = $('t-epsilon');
  epsLine.hidden = eps === null;
  epsLine.textContent = eps === null ? '' : `privacy spent: ε = ${eps.toPrecision(3)}`;
}

function renderCharts(records: readonly RoundRecord[]): void {
  if (charts) charts.update(records);
  else charts = mountRunCharts($('charts'), records, { height: 220 });
}

function renderTimeline(records: readonly RoundRecord[]): void {
  const body = $('timeline-body');
  const rows = records.slice(-TIMELINE_ROWS).reverse();
  body.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset['status'] = r.status;
      const rejected = Object.values(r.rejected).reduce((a, b) => a + b, 0);
      const cells: (string | HTMLElement)[] = [
        r.attempts > 1 ? `${r.round} (#${r.attempts})` : String(r.round),
        pill(r.status, r.reason),
        `${r.accepted}/${r.selected}`,
        String(r.dropped),
        String(rejected),
        formatBytes(r.uplinkBytes),
        formatBytes(r.downlinkBytes),
        r.accuracy === null ? '–' : `${(r.accuracy * 100).toFixed(2)} %`,
        r.loss === null ? '–' : r.loss.toFixed(4),
        `${(r.roundMs / 1000).toFixed(2)} s`,
      ];
      for (const c of cells) {
        const td = document.createElement('td');
        td.append(c);
        tr.appendChild(td);
      }
      return tr;
    }),
  );
  $('timeline-empty').hidden = records.length > 0;
}

function pill(status: string, reason?: string): HTMLElement {
  const span = document.createElement('span');
  span.className = 'pill';
  span.dataset['status'] = status;
  span.textContent = status;
  if (reason) span.title = reason;
  return span;
}

function renderConfig(s: AdminSnapshot): void {
  $('config').textContent = configLines(s.experiment.config).join('\n');
}

function main(): void {
  const token = readToken();
  const form = $<HTMLFormElement>('auth-form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $<HTMLInputElement>('auth-token').value.trim();
    try {
      sessionStorage.setItem(TOKEN_KEY, value);
    } catch {
      // ignore
    }
    connect(value);
  });
  connect(token);
}

main();
