// End-to-end tests of `fedzip distill`: the built binary (dist/, built by the global setup) on a tiny
// synthetic experiment written to a temporary directory, which is also the working directory (so
// `.cache/` and `runs/` land there).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

const MAIN = join(process.cwd(), 'dist/apps/cli/src/main.js');

const TINY = `
name: tiny-distill
seed: 5
data:
  dataset: synthetic
  synthetic: { samples: 400, shape: [8, 8, 1], classes: 4, separation: 8 }
  split: { test: 100, proxy: 200 }
clients: { count: 4, perRound: 2 }
model:
  student: { kind: mlp, hidden: [16] }
  teacher:
    model: { kind: mlp, hidden: [32] }
    training: { epochs: 4, lr: 0.01, augment: { shiftPixels: 0 } }
  distill: { epochs: 3, lr: 0.01, augment: { shiftPixels: 1 } }
  compress: { prune: { sparsity: 0.5, steps: 2, fineTuneEpochs: 1 }, quantize: int8 }
`;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let dir = '';

function fedzip(...args: string[]): Run {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fedzip-distill-cli-'));
  writeFileSync(join(dir, 'tiny.yaml'), TINY);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('fedzip distill', () => {
  test('--json: a table, then the figures as the last stdout line; artifacts in --out; cached rerun agrees', () => {
    const r = fedzip('distill', '--config', 'tiny.yaml', '--out', 'out', '--json');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/teacher/);
    expect(r.stdout).toMatch(/compressed student/);
    const json = JSON.parse(lastLine(r.stdout)) as Record<string, Record<string, number>>;
    expect(Object.keys(json)).toEqual(['teacher', 'studentScratch', 'student', 'compressedStudent']);
    for (const k of ['teacher', 'studentScratch', 'student'] as const) {
      expect(Object.keys(json[k]!)).toEqual(['params', 'bytes', 'accuracy']);
      expect(json[k]!.bytes).toBe(4 * json[k]!.params!);
      expect(json[k]!.accuracy).toBeGreaterThan(0.5); // chance is 0.25
    }
    expect(Object.keys(json.compressedStudent!)).toEqual(['bytes', 'accuracy', 'sparsity']);
    expect(json.compressedStudent!.sparsity).toBeGreaterThan(0.3);
    expect(json.compressedStudent!.bytes).toBeLessThan(json.student!.bytes! / 2);
    for (const f of [
      'teacher/model.json',
      'teacher/weights.bin',
      'student/model.json',
      'student/weights.bin',
      'student.fz',
    ]) {
      expect(existsSync(join(dir, 'out', f))).toBe(true);
    }
    expect(
      readFileSync(join(dir, 'out', 'student.fz'))
        .subarray(0, 2)
        .toString('latin1'),
    ).toBe('FZ');

    // From the cache now, into a fresh runs/ folder printed at the end.
    const again = fedzip('distill', '--config', 'tiny.yaml', '--json');
    expect(again.code).toBe(0);
    expect(lastLine(again.stdout)).toBe(lastLine(r.stdout));
    const artifacts = /^artifacts: (.+)$/m.exec(again.stdout)?.[1];
    expect(artifacts).toMatch(/runs[/\\]distill-tiny-distill-1$/);
    expect(existsSync(join(artifacts!, 'student', 'model.json'))).toBe(true);
  }, 60_000);

  test('--progress reports on stderr only; stdout keeps the JSON last', () => {
    const r = fedzip('distill', '--config', 'tiny.yaml', '--out', 'out2', '--json', '--progress');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^fedzip distill: /m);
    expect(() => JSON.parse(lastLine(r.stdout)) as unknown).not.toThrow();
  }, 60_000);

  test('failures are one line on stderr: a bad config (exit 1), a missing teacher (exit 1), a bad option (exit 2)', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'model: { student: { kind: rnn } }\n');
    const bad = fedzip('distill', '--config', 'bad.yaml');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^fedzip: bad\.yaml:1: model\.student\.kind: .*\n$/);

    writeFileSync(
      join(dir, 'teacher.yaml'),
      TINY.replace(/teacher:\n(.*\n){2}/, 'teacher: { path: nowhere/model.json }\n'),
    );
    const missing = fedzip('distill', '--config', 'teacher.yaml');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^fedzip: BAD_ARTIFACTS: .*nowhere.*\n$/);

    const usage = fedzip('distill', '--frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.stderr.split('\n')).toHaveLength(2);
    expect(fedzip('distill', '--config', 'absent.yaml').code).toBe(1);
  });
});
