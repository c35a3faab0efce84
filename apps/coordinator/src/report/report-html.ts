/**
 * report.html: one self-contained page per run. The tables, the config and a static SVG of the
 * main chart are written here as HTML (readable without JavaScript, and in print); the report
 * page's script (`dist/web/report/report.js`, built from apps/web/src/report/main.ts) is inlined
 * with the styles and the run's data, and draws the dashboard's interactive charts. The page
 * makes no request at all: no external scripts, styles, fonts or images.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeXml } from '@fedzip/plot';
import type { RoundRecord } from '@fedzip/protocol';
import { stringify } from 'yaml';
import { webRoot } from '../web/web-assets.js';
import { type RunReport, accuracyVsUplinkSvg, runMetrics } from './run-metrics.js';

/** The built files a report inlines (`npm run build` writes them). */
export interface ReportAssets {
  /** The report page's script (an IIFE). */
  readonly script: string;
  /** The report page's stylesheet. */
  readonly css: string;
  /** uPlot's stylesheet. */
  readonly uplotCss: string;
}

/** Reads the report page's bundle and styles from `dist/web` (default {@link webRoot}). */
export function loadReportAssets(web: string = webRoot()): ReportAssets {
  const read = (rel: string) => {
    try {
      return readFileSync(join(web, rel), 'utf8');
    } catch {
      throw new Error(`fedzip: ${join(web, rel)} is missing; run \`npm run build\` first`);
    }
  };
  return {
    script: read('report/report.js'),
    css: read('report/report.css'),
    uplotCss: read('uPlot.min.css'),
  };
}

let cached: ReportAssets | undefined;

/** Text safe inside a `<script>` element: no `</script`, no `<!--` (script data states). */
export function inlineScript(js: string): string {
  return js
    .replace(/^\/\/# sourceMappingURL=.*$/m, '')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--');
}

/** JSON safe inside `<script type="application/json">`: every `<` escaped as `\u003c`. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Text safe inside a `<style>` element. */
const inlineCss = (css: string) => css.replace(/^\/\*# sourceMappingURL=.*$/m, '').replace(/<\//g, '<\\/');

const esc = escapeXml;
const pct = (a: number | null) => (a === null ? '–' : `${(100 * a).toFixed(2)}%`);
const mb = (b: number) => `${(b / 1e6).toFixed(b < 1e5 ? 4 : 2)} MB`;
const kb = (b: number) => (b / 1e3).toFixed(1);
/** Bytes with a unit that suits their size: `532 B`, `12.3 kB`, `4.56 MB`. */
const bytes = (b: number) => {
  const [v, unit] =
    b < 1e3 ? [b, 'B'] : b < 1e6 ? [b / 1e3, 'kB'] : b < 1e9 ? [b / 1e6, 'MB'] : [b / 1e9, 'GB'];
  return `${unit === 'B' ? v : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${unit}`;
};
const ratio = (dense: number, actual: number) => (actual > 0 ? `${(dense / actual).toFixed(1)}×` : '–');

/**
 * The whole report.html of a run as a string. `assets` defaults to the built files in `dist/web`
 * (read once per process); throws if they are missing.
 */
export function renderReportHtml(run: RunReport, assets?: ReportAssets): string {
  const a = assets ?? (cached ??= loadReportAssets());
  const m = runMetrics(run);
  const t = m.totals;
  const statusText =
    run.status === 'failed'
      ? `failed: ${run.reason ?? 'unknown reason'}`
      : run.status === 'running'
        ? `in progress: ${run.rounds} of ${run.config.rounds} rounds`
        : 'completed';
  // Inline SVG in HTML needs no namespace declaration; dropping it keeps every URL out of the page.
  const svg = accuracyVsUplinkSvg(run, { idPrefix: 'fz-static' }).replace(
    ' xmlns="http://www.w3.org/2000/svg"',
    '',
  );
  const c = run.config;
  const cards = [
    card(
      'final accuracy',
      pct(t.finalAccuracy),
      `loss ${run.finalLoss === null ? '–' : run.finalLoss.toFixed(4)}`,
    ),
    card('rounds', String(t.rounds), `${run.records.length} attempts`),
    card(
      'uplink',
      bytes(t.uplinkBytes),
      `${t.uplinkRatio.toFixed(1)}× smaller than dense (${bytes(t.denseUplinkBytes)})`,
    ),
    card(
      'downlink',
      bytes(t.downlinkBytes),
      `${t.downlinkRatio.toFixed(1)}× smaller than dense (${bytes(t.denseDownlinkBytes)})`,
    ),
    card('wall time', `${t.wallSeconds} s`, `rounds ${m.timings.roundSeconds} s`),
  ];
  const finalRows: [string, string][] = [
    ['status', statusText],
    ['rounds', String(t.rounds)],
    ['final accuracy', pct(t.finalAccuracy)],
    [
      'uplink',
      `${mb(t.uplinkBytes)} (dense ${mb(t.denseUplinkBytes)}, ${t.uplinkRatio.toFixed(1)}× smaller)`,
    ],
    [
      'downlink',
      `${mb(t.downlinkBytes)} (dense ${mb(t.denseDownlinkBytes)}, ${t.downlinkRatio.toFixed(1)}× smaller)`,
    ],
    ['wall time', `${t.wallSeconds} s`],
  ];
  const runRows: [string, string][] = [
    ['experiment', run.experimentId],
    ['started', m.timings.startedAt],
    ['finished', m.timings.finishedAt],
    ...Object.entries(m.environment),
  ];
  const title = `fedzip report: ${run.experimentId}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="fedzip">
<title>${esc(title)}</title>
<style>${inlineCss(a.uplotCss)}</style>
<style>${inlineCss(a.css)}</style>
</head>
<body data-charts="pending">
<main>
<header>
<h1>${esc(run.experimentId)}<span class="badge ${run.status}">${esc(run.status)}</span></h1>
<p class="meta">${esc(c.data.dataset)} · ${c.clients.count} clients, ${c.clients.perRound} per round · ${esc(c.strategy.name)} · uplink <code>${esc(c.compression.uplink)}</code>${c.compression.errorFeedback ? ' with error feedback' : ''} · downlink <code>${esc(c.compression.downlink)}</code> · ${esc(m.timings.finishedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</p>
</header>
${run.status === 'failed' ? `<p class="error">The experiment failed: ${esc(run.reason ?? 'unknown reason')}</p>\n` : ''}<div class="cards">${cards.join('')}</div>
<h2>Charts</h2>
<div id="charts"></div>
<figure class="figure" id="static-figure">
${svg}<figcaption>Static figure (the same as accuracy-vs-uplink.png); the interactive charts need JavaScript.</figcaption>
</figure>
<h2>Rounds</h2>
<div class="table-wrap">${roundsTable(run.records)}</div>
<div class="two-col">
<div>
<h2>Totals</h2>
<div class="table-wrap">${kvTable(finalRows, 'totals')}</div>
<h2>Run</h2>
<div class="table-wrap">${kvTable(runRows, 'run')}</div>
</div>
<div>
<h2>Config</h2>
<pre class="config">${esc(stringify(run.config, { lineWidth: 0 }))}</pre>
</div>
</div>
<footer>Written by <code>fedzip run</code>. The data of this page: metrics.json and rounds.csv next to it, and in the script element #fedzip-data below.</footer>
</main>
<script type="application/json" id="fedzip-data">${inlineJson(m)}</script>
<script>${inlineScript(a.script)}</script>
</body>
</html>
`;
}

function card(label: string, value: string, note: string): string {
  return `<div class="card"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="note">${esc(note)}</div></div>`;
}

function kvTable(rows: readonly [string, string][], id: string): string {
  const body = rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('');
  return `<table class="kv" id="${id}-table"><tbody>${body}</tbody></table>`;
}

/** The per-round table: the columns of the CLI's table (apps/cli/src/experiment/summary.ts). */
function roundsTable(records: readonly RoundRecord[]): string {
  const head = ['round', 'clients', 'accuracy', 'loss', 'up kB', 'up ×', 'down kB', 'down ×', 'round s'];
  const rows = records.map((r) => {
    const cells = [
      r.status === 'completed' ? String(r.round) : `${r.round} (failed: ${r.reason ?? ''})`,
      `${r.accepted}/${r.selected}${r.dropped ? ` −${r.dropped}` : ''}`,
      pct(r.accuracy),
      r.loss === null ? '–' : r.loss.toFixed(4),
      kb(r.uplinkBytes),
      ratio(r.denseUplinkBytes, r.uplinkBytes).replace('×', ''),
      kb(r.downlinkBytes),
      ratio(r.denseDownlinkBytes, r.downlinkBytes).replace('×', ''),
      (r.roundMs / 1000).toFixed(1),
    ];
    return `<tr class="${r.status}">${cells.map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`;
  });
  return `<table id="rounds-table"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
