import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const CLI = 'dist/apps/cli/src/main.js';
const CONFIG = 'test/fixtures/synthetic-small.yaml';

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function collect(child: ChildProcess): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const run = (...args: string[]) =>
  collect(spawn('node', [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));

describe('fedzip run / serve / client (real processes, loopback)', () => {
  it('runs an experiment end to end and ends with the --json totals line', async () => {
    const r = await run('run', CONFIG, '--json', '--no-report');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const totals = JSON.parse(lines[lines.length - 1]!) as Record<string, number>;
    expect(Object.keys(totals).sort()).toEqual(
      [
        'denseDownlinkBytes',
        'denseUplinkBytes',
        'downlinkBytes',
        'downlinkRatio',
        'finalAccuracy',
        'rounds',
        'uplinkBytes',
        'uplinkRatio',
        'wallSeconds',
      ].sort(),
    );
    expect(totals['rounds']).toBe(3);
    expect(totals['finalAccuracy']).toBeGreaterThan(0.8);
    expect(totals['uplinkRatio']).toBeCloseTo(totals['denseUplinkBytes']! / totals['uplinkBytes']!);
    expect(totals['uplinkRatio']).toBeGreaterThan(4); // top 10% + 8 bits on a 388-parameter model
    expect(r.stdout).toContain('completed: 3 rounds');
    expect(r.stderr).toMatch(/round 3\/3: completed/);
  }, 120_000);

  it('gives the same figures when run twice (cached student, seeded everything)', async () => {
    const a = await run('run', CONFIG, '--json', '--no-report');
    const b = await run('run', CONFIG, '--json', '--no-report');
    const last = (s: string) => {
      const t = JSON.parse(s.trim().split('\n').pop()!) as Record<string, number>;
      delete t['wallSeconds'];
      return t;
    };
    expect(last(b.stdout)).toEqual(last(a.stdout));
  }, 120_000);

  it('serves an experiment that separate `fedzip client` processes join', async () => {
    const server = spawn(
      'node',
      [
        CLI,
        'serve',
        '--config',
        CONFIG,
        '--store',
        join(mkdtempSync(join(tmpdir(), 'fedzip-serve-')), 'store.db'),
        '--port',
        '0',
        '--token',
        'e2e-token-123',
        '--json',
        '--no-report',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const done = collect(server);
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /coordinator: (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      server.on('close', () => reject(new Error('server exited early')));
    });
    const clients = [0, 1, 2, 3].map((i) =>
      run('client', '--url', url, '--token', 'e2e-token-123', '--data', `${CONFIG}:${i}`),
    );
    const s = await done;
    expect(s.code).toBe(0);
    const totals = JSON.parse(s.stdout.trim().split('\n').pop()!) as Record<string, number>;
    expect(totals['rounds']).toBe(3);
    for (const c of await Promise.all(clients)) {
      expect(c.code).toBe(0);
      expect(c.stderr).toMatch(/joined http:\/\/127\.0\.0\.1:\d+ as client-00\d/);
    }
  }, 120_000);

  it('refuses a bad config with one line naming the field', async () => {
    const r = await run('run', 'test/fixtures/does-not-exist.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^fedzip: /);
  });
});
