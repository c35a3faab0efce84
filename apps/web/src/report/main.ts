/**
 * The report page's script, inlined into each run's self-contained `report.html` (see
 * apps/coordinator/src/report/). The HTML already holds the tables and a static SVG of the main
 * chart; this script reads the run from `<script type="application/json" id="fedzip-data">` and
 * mounts the dashboard's interactive charts in `#charts`, then hides the static figure. On any
 * error the static figure stays and the error is shown in `#charts`.
 */
import type { RoundRecord } from '@fedzip/protocol';
import { mountRunCharts } from '../charts/run-charts.js';

/** The part of metrics.json the page needs. */
interface ReportData {
  readonly records: readonly RoundRecord[];
}

function readData(): ReportData {
  const el = document.getElementById('fedzip-data');
  if (!el?.textContent) throw new Error('the run data (#fedzip-data) is missing');
  const data = JSON.parse(el.textContent) as Partial<ReportData>;
  if (!Array.isArray(data.records)) throw new Error('the run data has no records');
  return data as ReportData;
}

function main(): void {
  const host = document.getElementById('charts');
  if (!host) return;
  try {
    mountRunCharts(host, readData().records, { height: 260 });
    document.getElementById('static-figure')?.setAttribute('hidden', '');
    document.body.dataset['charts'] = 'ready';
  } catch (err) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = `The interactive charts could not be drawn: ${err instanceof Error ? err.message : String(err)}`;
    host.appendChild(p);
    document.body.dataset['charts'] = 'failed';
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
