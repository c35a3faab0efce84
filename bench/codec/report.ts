import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Table from 'cli-table3';
import type { Row } from './rows.js';
import type { TargetCheck } from './targets.js';

const HEAD = [
  'codec',
  'dist',
  'n',
  'bits/value',
  'ratio',
  'nmse',
  'encode MB/s',
  'dec+acc MB/s',
  'memcpy MB/s',
  'index bits/kept',
  'bound bits/kept',
];

const fixed = (v: number, d: number): string => v.toFixed(d);
const sci = (v: number): string => (v === 0 ? '0' : v.toExponential(2));
const opt = (v: number | null, d: number): string => (v === null ? '–' : v.toFixed(d));
const count = (n: number): string => (n % 1_000_000 === 0 ? `${n / 1_000_000}M` : String(n));

function cells(r: Row): string[] {
  return [
    r.codec,
    r.dist,
    count(r.n),
    fixed(r.bitsPerValue, 3),
    fixed(r.ratio, 1),
    sci(r.nmse),
    fixed(r.encodeMBps, 0),
    fixed(r.decodeMBps, 0),
    fixed(r.memcpyMBps, 0),
    opt(r.indexBitsPerKept, 2),
    opt(r.indexBoundBitsPerKept, 2),
  ];
}

function targetCells(t: TargetCheck): string[] {
  const d = t.unit === 'MB/s' ? 0 : t.unit === '×' ? 1 : 4;
  const spread = t.inputs > 1 ? `${fixed(t.measured, d)} (best ${fixed(t.best, d)})` : fixed(t.measured, d);
  return [t.name, t.goal, t.inputs ? spread : 'not run', String(t.inputs), t.pass ? 'pass' : 'FAIL'];
}

const TARGET_HEAD = ['target', 'goal', 'measured (worst input)', 'inputs', 'result'];

function markdown(head: readonly string[], body: readonly string[][]): string {
  const line = (cs: readonly string[]): string => `| ${cs.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

function boxed(head: readonly string[], body: readonly string[][]): string {
  const t = new Table({ head: [...head], style: { head: [], border: [] } });
  for (const b of body) t.push(b);
  return t.toString();
}

/** The results table (box drawing for a terminal, or Markdown for docs/BENCHMARKS.md). */
export function formatRows(rows: readonly Row[], md: boolean): string {
  return (md ? markdown : boxed)(HEAD, rows.map(cells));
}

/** The targets check, one line per target. */
export function formatTargets(checks: readonly TargetCheck[], md: boolean): string {
  return (md ? markdown : boxed)(TARGET_HEAD, checks.map(targetCells));
}

/** Writes the rows as a JSON array, creating the file's folder if needed. */
export function writeJson(file: string, rows: readonly Row[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
}
