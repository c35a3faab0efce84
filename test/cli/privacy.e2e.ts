import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { privacyAfterRounds } from '@fedzip/privacy';

const CLI = 'dist/apps/cli/src/main.js';

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('node', [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('fedzip run with central DP (synthetic, real clients over loopback)', () => {
  it('completes every round and reports ε per round, increasing, as the accountant computes it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fedzip-dp-'));
    const r = await run('run', 'test/fixtures/synthetic-privacy.yaml', '--json', '--out', out);
    expect(r.code).toBe(0);
    const totals = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
    expect(totals['rounds']).toBe(4);
    expect(r.stdout).toMatch(/privacy ε = /);

    const dir = join(out, readdirSync(out)[0]!);
    const [header, ...rows] = readFileSync(join(dir, 'rounds.csv'), 'utf8').trim().split('\r\n');
    const cols = header!.split(',');
    const at = (row: string, c: string) => row.split(',')[cols.indexOf(c)]!;
    const completed = rows.filter((row) => at(row, 'status') === 'completed');
    expect(completed).toHaveLength(4);
    const eps = completed.map((row) => Number(at(row, 'epsilon')));
    for (let i = 1; i < eps.length; i++) expect(eps[i]!).toBeGreaterThan(eps[i - 1]!);
    // q = perRound / count = 2/4, σ = 1, δ = 1e-5.
    eps.forEach((e, i) =>
      expect(e).toBeCloseTo(
        privacyAfterRounds({ q: 0.5, noiseMultiplier: 1, delta: 1e-5 }, i + 1).epsilon,
        9,
      ),
    );
    expect(totals['epsilon']).toBeCloseTo(eps[3]!, 9);
  }, 120_000);
});
