import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { sampleRun } from './__tests__/run-fixture.js';
import { inlineJson, inlineScript, loadReportAssets, renderReportHtml } from './report-html.js';
import { CSV_COLUMNS, type RunMetrics, accuracyByUplink, csvField, roundsCsv } from './run-metrics.js';
import { RUN_FILES, writeRunReport } from './write-run-report.js';

/** RFC 4180 parser, enough for the test: quoted fields with doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  expect(field).toBe(''); // the file ends with CRLF
  return rows;
}

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'fedzip-report-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('writeRunReport', () => {
  it('writes the five files atomically (no temporary files left)', async () => {
    const dir = join(tmp(), 'small-a1b2c3');
    const files = await writeRunReport(dir, sampleRun());
    expect(readdirSync(dir).sort()).toEqual(Object.values(RUN_FILES).sort());
    expect(files.html).toBe(join(dir, 'report.html'));
    const png = readFileSync(files.png);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1600);
    expect(readFileSync(files.svg, 'utf8')).toMatch(/^<svg xmlns=/);
    // A second report into the same folder replaces the first.
    await writeRunReport(dir, sampleRun({ status: 'failed', reason: 'stopped' }));
    const again = JSON.parse(readFileSync(files.metrics, 'utf8')) as RunMetrics;
    expect(again.status).toBe('failed');
    expect(readdirSync(dir)).toHaveLength(5);
  });

  it('metrics.json holds config, id, status, totals, records, timings and environment', async () => {
    const run = sampleRun();
    const files = await writeRunReport(tmp(), run);
    const m = JSON.parse(readFileSync(files.metrics, 'utf8')) as RunMetrics;
    expect(m.format).toBe('fedzip-run/1');
    expect(m.experimentId).toBe('small-a1b2c3');
    expect(m.name).toBe('small');
    expect(m.status).toBe('completed');
    expect(m.config.compression.uplink).toBe('topk:0.1+q8');
    expect(m.records).toHaveLength(4);
    expect(m.totals).toEqual({
      finalAccuracy: 0.8,
      rounds: 3,
      uplinkBytes: 1010 + 1020 + 1020 + 1030,
      denseUplinkBytes: 4 * 4656,
      uplinkRatio: (4 * 4656) / 4080,
      downlinkBytes: 8000,
      denseDownlinkBytes: 4 * 4656,
      downlinkRatio: (4 * 4656) / 8000,
      wallSeconds: 12.5,
    });
    expect(m.timings).toEqual({
      startedAt: '2025-01-02T03:04:05.000Z',
      finishedAt: '2025-01-02T03:04:17.500Z',
      wallSeconds: 12.5,
      roundSeconds: 0.6,
    });
    expect(m.environment).toMatchObject({ node: process.version, backend: 'wasm simd, 1 thread' });
  });

  it('rounds.csv parses back: a header and one row per attempt', async () => {
    const run = sampleRun();
    const files = await writeRunReport(tmp(), run);
    const rows = parseCsv(readFileSync(files.csv, 'utf8'));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + run.records.length);
    const objs = rows.slice(1).map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]])));
    expect(objs.map((o) => o['round'])).toEqual(['1', '2', '2', '3']);
    expect(objs[1]!['status']).toBe('failed');
    expect(objs[1]!['reason']).toBe(run.records[1]!.reason);
    expect(objs[1]!['rejected']).toBe('STALE:1 BAD_SHAPE:2');
    expect(objs[1]!['accuracy']).toBe('');
    expect(objs[2]!['attempt']).toBe('2');
    expect(Number(objs[3]!['cumulativeUplinkBytes'])).toBe(4080);
    expect(Number(objs[0]!['uplinkRatio'])).toBeCloseTo(4656 / 1010, 12);
    expect(Number(objs[3]!['accuracy'])).toBeCloseTo(0.8, 12);
  });

  it('csvField quotes only what needs quoting', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(roundsCsv([]).split('\r\n')).toEqual([CSV_COLUMNS.join(','), '']);
  });

  it('plots accuracy against cumulative uplink, failed attempts adding their bytes', () => {
    expect(accuracyByUplink(sampleRun().records)).toEqual([
      [0.00101, 0.6],
      [0.00305, expect.closeTo(0.7, 12)],
      [0.00408, expect.closeTo(0.8, 12)],
    ]);
  });
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(sampleRun());

  it('is self-contained: no external URL, no script src, no stylesheet link', () => {
    // (booleans, so that a failure does not print the whole page)
    expect(html.match(/https?:\/\/[^\s"'<>]*/g)).toBeNull();
    expect(/<script[^>]+src=/i.test(html)).toBe(false);
    expect(/<link[^>]+href=/i.test(html)).toBe(false);
    expect(/sourceMappingURL/.test(html)).toBe(false);
    expect(html.match(/url\((?!#)[^)]*\)/g)).toBeNull(); // only the SVG's own clip path
    expect(html).toContain('<script type="application/json" id="fedzip-data">');
    expect(html.includes(loadReportAssets().script.slice(0, 200))).toBe(true);
  });

  it('embeds the run data with < escaped, so it parses back unchanged', () => {
    const json = /<script type="application\/json" id="fedzip-data">([^<]*)<\/script>/.exec(html)![1]!;
    const data = JSON.parse(json) as RunMetrics;
    expect(data.records[1]!.reason).toBe(sampleRun().records[1]!.reason);
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the reason's </script> never closes an element
    expect(html.includes('<!--')).toBe(false);
  });

  it('shows the totals, the per-round table, the config and the static figure', () => {
    expect(html).toContain('id="totals-table"');
    expect(html).toContain('final accuracy');
    expect(html).toContain('80.00%');
    expect(html.match(/<tr class="(completed|failed)">/g)).toHaveLength(4);
    expect(html).toContain(
      '2 (failed: too few results: 1 &#60; 2, &#34;deadline&#34; &#60;/script&#62;&#60;!--)',
    );
    expect(html).toContain('uplink: topk:0.1+q8');
    expect(html).toMatch(/<figure class="figure" id="static-figure">\s*<svg width="800"/);
  });

  it('escapes inline script and JSON text', () => {
    expect(inlineScript('a="</script>";b="<!--"\n//# sourceMappingURL=x.js.map')).toBe(
      'a="<\\/script>";b="<\\!--"\n',
    );
    expect(inlineJson({ s: '</script>' })).toBe('{"s":"\\u003c/script>"}');
  });
});
