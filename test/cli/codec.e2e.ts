// End-to-end tests of `fedzip codec …`: they run the built binary (dist/, built by the global
// setup) in a child process, as a user or a script would, and check files, stdout, stderr and exit codes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

const MAIN = join(process.cwd(), 'dist/apps/cli/src/main.js');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let dir = '';
const at = (name: string): string => join(dir, name);

function fedzip(...args: string[]): Run {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command that must succeed silently on stderr; returns its stdout. */
function ok(...args: string[]): string {
  const r = fedzip(...args);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout;
}

/** Deterministic heavy-ish tailed values (a product of two uniforms, signed), like a model delta. */
function sample(n: number, seed = 1): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  for (let i = 0; i < n; i++) x[i] = (next() - 0.5) * next() * 0.02;
  return x;
}

function writeF32(name: string, x: Float32Array): string {
  writeFileSync(at(name), new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  return name;
}

function readF32(name: string): Float32Array {
  const b = readFileSync(at(name));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fedzip-cli-'));
  writeF32('small.f32', sample(4096));
  writeF32('big.f32', sample(100_000, 7));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('fedzip codec encode / decode', () => {
  test('`none` round-trips bit for bit, including -0, subnormals and extremes', () => {
    const x = sample(1000);
    x.set([-0, 1e-45, -3.4028234663852886e38, 3.4028234663852886e38, 1.1754943508222875e-38], 0);
    writeF32('edge.f32', x);
    expect(ok('codec', 'encode', '--codec', 'none', '--in', 'edge.f32', '--out', 'edge.fz')).toBe('');
    expect(ok('codec', 'decode', '--in', 'edge.fz', '--out', 'edge.out.f32')).toBe('');
    expect(readFileSync(at('edge.out.f32')).equals(readFileSync(at('edge.f32')))).toBe(true);
  });

  test('`q8` decodes within half a quantization step of every input', () => {
    ok('codec', 'encode', '--codec', 'q8', '--in', 'small.f32', '--out', 'q8.fz');
    ok('codec', 'decode', '--in', 'q8.fz', '--out', 'q8.f32');
    const x = readF32('small.f32');
    const y = readF32('q8.f32');
    expect(y.length).toBe(x.length);
    const max = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const halfStep = max / 127 / 2;
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(y[i]! - x[i]!));
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(halfStep * (1 + 1e-5));
    expect(statSync(at('q8.fz')).size).toBeLessThan(x.length + 64);
  });

  test('the same seed gives identical bytes; another seed changes a stochastic encode', () => {
    const enc = (out: string, ...seed: string[]): Buffer => {
      ok('codec', 'encode', '--codec', 'sq8', '--in', 'small.f32', '--out', out, ...seed);
      return readFileSync(at(out));
    };
    const a = enc('s7a.fz', '--seed', '7');
    expect(enc('s7b.fz', '--seed', '7').equals(a)).toBe(true);
    expect(enc('s8.fz', '--seed', '8').equals(a)).toBe(false);
    expect(enc('s-default.fz').equals(enc('s0.fz', '--seed', '0'))).toBe(true);
  });
});

describe('fedzip codec inspect', () => {
  test('prints one JSON object describing `topk:0.01+q8` on 100k values', () => {
    ok('codec', 'encode', '--codec', 'topk:0.01+q8', '--in', 'big.f32', '--out', 'topk.fz');
    const stdout = ok('codec', 'inspect', '--in', 'topk.fz');
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    const info = JSON.parse(stdout) as Record<string, unknown>;
    const bytes = statSync(at('topk.fz')).size;
    expect(info).toMatchObject({ spec: 'topk:0.01+q8', n: 100_000, kept: 1000, bytes });
    expect(info['stages']).toEqual([
      { kind: 'topk', fraction: 0.01 },
      { kind: 'q', bits: 8 },
    ]);
    expect(info['bitsPerValue']).toBeCloseTo((bytes * 8) / 100_000, 12);
    expect(info['ratio']).toBeGreaterThan(150);

    ok('codec', 'decode', '--in', 'topk.fz', '--out', 'topk.f32');
    const y = readF32('topk.f32');
    expect(y.length).toBe(100_000);
    expect(y.filter((v) => v !== 0).length).toBeLessThanOrEqual(1000);
  });
});

describe('fedzip errors: one stderr line, no stack trace, exit 1 (data) or 2 (usage)', () => {
  beforeAll(() => {
    ok('codec', 'encode', '--codec', 'q8', '--in', 'small.f32', '--out', 'good.fz');
    const good = readFileSync(at('good.fz'));
    writeFileSync(at('truncated.fz'), good.subarray(0, good.length - 10));
    const flipped = Buffer.from(good);
    flipped[Math.floor(good.length / 2)]! ^= 0xff;
    writeFileSync(at('corrupt.fz'), flipped);
    writeFileSync(at('odd.f32'), Buffer.alloc(10));
  });

  // [name, exit code, stderr pattern, arguments after `fedzip codec`]
  const cases: readonly [string, number, RegExp, string][] = [
    ['missing .f32 input', 1, /read 'no\.f32'.*ENOENT/, 'encode --codec q8 --in no.f32 --out o.fz'],
    ['missing .fz input', 1, /read 'no\.fz'.*ENOENT/, 'decode --in no.fz --out o.f32'],
    ['bad spec', 2, /^fedzip: BAD_SPEC: /, 'encode --codec topk:2+q9 --in small.f32 --out o.fz'],
    ['corrupted .fz (decode)', 1, /^fedzip: BAD_CHECKSUM: /, 'decode --in corrupt.fz --out o.f32'],
    ['corrupted .fz (inspect)', 1, /^fedzip: BAD_CHECKSUM: /, 'inspect --in corrupt.fz'],
    ['truncated .fz', 1, /^fedzip: TRUNCATED: /, 'decode --in truncated.fz --out o.f32'],
    ['not a .fz at all', 1, /^fedzip: BAD_MAGIC: /, 'inspect --in small.f32'],
    ['.f32 of 10 bytes', 1, /'odd\.f32' has 10 bytes/, 'encode --codec q8 --in odd.f32 --out o.fz'],
    ['unknown option', 2, /unknown option '--nope'/, 'decode --in good.fz --out o.f32 --nope'],
    ['missing required option', 2, /required option '--out <file>'/, 'encode --codec q8 --in small.f32'],
    ['bad seed', 2, /'--seed <n>' argument '-3'/, 'encode --codec q8 --in small.f32 --out o.fz --seed -3'],
    ['unexpected argument', 2, /too many arguments/, 'inspect --in good.fz extra'],
    ['unknown command', 2, /unknown command 'squash'/, 'squash'],
    ['missing command', 2, /missing command: 'fedzip codec' expects one of encode, decode, inspect/, ''],
  ];

  test.each(cases)('%s exits %i', (_name, code, message, args) => {
    const r = fedzip('codec', ...args.split(' ').filter(Boolean));
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^fedzip: /);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(at('o.fz')) || existsSync(at('o.f32'))).toBe(false);
  });
});

describe('fedzip help and version', () => {
  test('--version prints the package version on stdout', () => {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string };
    expect(ok('--version')).toBe(`${pkg.version}\n`);
  });

  test('--help lists the codec commands on stdout', () => {
    expect(ok('codec', '--help')).toMatch(/encode[\s\S]*decode[\s\S]*inspect/);
  });
});
