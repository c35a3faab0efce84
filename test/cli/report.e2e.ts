/**
 * `fedzip run --out <dir>` writes the run folder named after the experiment id, and says where its
 * report is; `--no-report` writes nothing. Real processes, as a user runs them.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';

const CLI = 'dist/apps/cli/src/main.js';
const CONFIG = 'test/fixtures/synthetic-small.yaml';

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('node', [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const out = mkdtempSync(join(tmpdir(), 'fedzip-runs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('fedzip run: the run folder', () => {
  it('writes report.html, metrics.json, rounds.csv and the figure into <out>/<experiment-id>/', async () => {
    const r = await run('run', CONFIG, '--out', out, '--json');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const totals = JSON.parse(lines.at(-1)!) as Record<string, number>; // --json stays last
    const m = /^report: (.+)$/.exec(lines.at(-2)!);
    expect(m).not.toBeNull();
    const [id] = readdirSync(out);
    expect(id).toMatch(/^small-[0-9a-f]{6}$/);
    expect(m![1]).toBe(join(out, id!, 'report.html'));
    expect(readdirSync(join(out, id!)).sort()).toEqual(
      [
        'accuracy-vs-uplink.png',
        'accuracy-vs-uplink.svg',
        'metrics.json',
        'report.html',
        'rounds.csv',
      ].sort(),
    );

    const metrics = JSON.parse(readFileSync(join(out, id!, 'metrics.json'), 'utf8')) as {
      experimentId: string;
      status: string;
      totals: Record<string, number>;
      records: unknown[];
      environment: Record<string, string>;
    };
    expect(metrics.experimentId).toBe(id);
    expect(metrics.status).toBe('completed');
    const { wallSeconds: _a, ...figures } = totals;
    const { wallSeconds: _b, ...written } = metrics.totals;
    expect(written).toEqual(figures);
    expect(metrics.records).toHaveLength(3);
    expect(metrics.environment['backend']).toMatch(/^(wasm|cpu)/);

    const csv = readFileSync(join(out, id!, 'rounds.csv'), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toMatch(/^round,attempt,status,/);

    const html = readFileSync(join(out, id!, 'report.html'), 'utf8');
    expect(html.includes(`<h1>${id}`)).toBe(true);
    expect(/https?:\/\//.test(html)).toBe(false);
    const png = readFileSync(join(out, id!, 'accuracy-vs-uplink.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  }, 120_000);

  it('writes nothing with --no-report', async () => {
    const empty = join(out, 'none');
    const r = await run('run', CONFIG, '--out', empty, '--no-report');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^report: /m);
    expect(existsSync(empty)).toBe(false);
  }, 120_000);
});
