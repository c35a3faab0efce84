import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';

const CLI = 'dist/apps/cli/src/main.js';
const ADMIN = 'cli-admin-token-0123456789abcdef';

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const child = spawn('node', [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('fedzip ls / status against a served coordinator (REST API over loopback)', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill('SIGKILL');
  });

  it('lists and shows experiments, and says what is wrong when the token or the URL is', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'fedzip-cli-admin-')), 'store.db');
    server = spawn('node', [CLI, 'serve', '--store', store, '--port', '0', '--admin-token', ADMIN], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      server!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /coordinator: (http:\/\/\S+)/.exec(out);
        if (m && /store: /.test(out)) resolve(m[1]!);
      });
      server!.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    expect(out).toContain(`api: ${url}/api/experiments`);
    expect(out).toMatch(/dashboard: http:\/\/\S+\/dashboard\/#token=/);

    const empty = await run(['ls', '--url', url, '--admin-token', ADMIN]);
    expect(empty).toMatchObject({ code: 0, stdout: 'no experiments\n' });

    const created = await fetch(`${url}/api/experiments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/yaml' },
      body: 'name: from-cli-test\nrounds: 7\n',
    });
    const { id } = (await created.json()) as { id: string };

    const ls = await run(['ls', '--url', url, '--json'], { FEDZIP_ADMIN_TOKEN: ADMIN });
    expect(ls.code).toBe(0);
    expect(JSON.parse(ls.stdout)).toEqual([
      expect.objectContaining({ id, name: 'from-cli-test', status: 'created', rounds: 7 }),
    ]);
    const table = await run(['ls', '--url', url, '--admin-token', ADMIN]);
    expect(table.stdout).toContain(id);
    expect(table.stdout).toContain('0/7');

    const status = await run(['status', id, '--url', url, '--admin-token', ADMIN]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/status\s*│\s*created/);
    expect(status.stdout).toMatch(/model\s*│\s*version 0, sha256 –/);

    const wrong = await run(['status', id, '--url', url, '--admin-token', 'nope']);
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toBe('fedzip: the coordinator refused the admin token (401)\n');
    const missing = await run(['status', 'no-such', '--url', url, '--admin-token', ADMIN]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^fedzip: 404 from \/api\/experiments\/no-such: no experiment no-such\n$/);
    const noToken = await run(['ls', '--url', url], { FEDZIP_ADMIN_TOKEN: '' });
    expect(noToken.stderr).toBe('fedzip: no admin token: pass --admin-token or set FEDZIP_ADMIN_TOKEN\n');
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const down = await run(['ls', '--url', `http://127.0.0.1:${closed}`, '--admin-token', ADMIN]);
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(
      `fedzip: cannot reach the coordinator at http://127.0.0.1:${closed} (ECONNREFUSED)\n`,
    );
  }, 60_000);
});
