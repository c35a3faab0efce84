/**
 * `fedzip distill [--config <file>] [--out <dir>] [--json] [--force] [--progress] [--sensitivity]`:
 * the server-side model pipeline of an experiment (libs/model `prepareStudent`): train or load the
 * teacher, distil it into the student, train the same student from scratch for comparison, prune
 * and quantize the student for download, and report params, bytes and test accuracy of all four. Artifacts go to
 * `--out` (default a fresh folder under `runs/`); trained models are cached in `.cache/`.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, type ExperimentConfig, loadExperiment } from '@fedzip/config';
import { DataError } from '@fedzip/data';
import {
  ModelError,
  type ModelFigures,
  type PreparedStudent,
  formatSensitivityTable,
  prepareStudent,
} from '@fedzip/model';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { CliError } from '../support/errors.js';

/** The config `fedzip distill` reads when `--config` is not given (relative to the working directory). */
export const DEFAULT_DISTILL_CONFIG = 'experiments/mnist-distill.yaml';
/** The cache of trained teachers and students (git-ignored). */
export const DISTILL_CACHE_DIR = '.cache';

interface DistillOptions {
  readonly config?: string;
  readonly out?: string;
  readonly json: boolean;
  readonly force: boolean;
  readonly progress: boolean;
  readonly sensitivity: boolean;
}

export function registerDistill(program: Command): void {
  program
    .command('distill')
    .description('train or load the teacher, distil it into the student, prune and quantize it for download')
    .option('--config <file>', `experiment config (YAML or JSON); default ${DEFAULT_DISTILL_CONFIG}`)
    .option('--out <dir>', 'where to save the artifacts; default a new folder under runs/')
    .option('--json', 'also print the figures as one JSON object on the last line', false)
    .option('--force', 'retrain even when .cache/ holds the trained models', false)
    .option('--progress', 'print progress on stderr', false)
    .option('--sensitivity', 'also print the pruning sensitivity table of the distilled student', false)
    .action(async (opts: DistillOptions) => {
      const file = opts.config ?? DEFAULT_DISTILL_CONFIG;
      const config = guard(() => loadExperiment(file));
      const out = resolve(opts.out ?? (await freshRunDir(config)));
      const log = opts.progress ? (m: string) => process.stderr.write(`fedzip distill: ${m}\n`) : undefined;
      const result = await guardAsync(() =>
        prepareStudent(config, {
          cacheDir: resolve(DISTILL_CACHE_DIR),
          force: opts.force,
          outDir: out,
          sensitivity: opts.sensitivity,
          ...(log && { log }),
        }),
      );
      if (result.sensitivity) process.stdout.write(`${formatSensitivityTable(result.sensitivity)}\n\n`);
      process.stdout.write(`${formatTable(result)}\n`);
      process.stdout.write(`compressed student: ${result.compressedStudent.spec}\n`);
      process.stdout.write(`artifacts: ${out}\n`);
      if (opts.json) process.stdout.write(`${JSON.stringify(summary(result))}\n`);
    });
}

/** The `--json` line: figures of the four models, accuracy on the test split. */
export function summary(r: PreparedStudent): Record<string, unknown> {
  const pick = (f: ModelFigures | null) => f && { params: f.params, bytes: f.bytes, accuracy: f.accuracy };
  return {
    teacher: pick(r.teacher),
    studentScratch: pick(r.studentScratch),
    student: pick(r.student),
    compressedStudent: {
      bytes: r.compressedStudent.bytes,
      accuracy: r.compressedStudent.accuracy,
      sparsity: r.compressedStudent.sparsity,
    },
  };
}

function formatTable(r: PreparedStudent): string {
  const table = new Table({
    head: ['model', 'params', 'bytes', 'accuracy'],
    colAligns: ['left', 'right', 'right', 'right'],
    style: { head: [], border: [], compact: true },
  });
  const pct = (a: number) => `${(a * 100).toFixed(2)}%`;
  const row = (name: string, f: ModelFigures | null) =>
    f === null
      ? [name, '—', '—', '—']
      : [name, f.params.toLocaleString('en'), f.bytes.toLocaleString('en'), pct(f.accuracy)];
  const c = r.compressedStudent;
  table.push(
    row('teacher', r.teacher),
    row('student from scratch', r.studentScratch),
    row('distilled student', r.student),
    [
      `compressed student (${(c.sparsity * 100).toFixed(1)}% zeros)`,
      r.student.params.toLocaleString('en'),
      c.bytes.toLocaleString('en'),
      pct(c.accuracy),
    ],
  );
  return table.toString();
}

/** `runs/distill-<name>-<n>`: the first free number (created when the artifacts are saved). */
async function freshRunDir(config: ExperimentConfig): Promise<string> {
  const root = 'runs';
  const prefix = `distill-${config.name}-`;
  let taken: string[] = [];
  try {
    taken = await readdir(root);
  } catch {
    // no runs/ yet
  }
  let n = 1;
  for (const name of taken) {
    if (name.startsWith(prefix)) {
      const k = Number(name.slice(prefix.length));
      if (Number.isInteger(k) && k >= n) n = k + 1;
    }
  }
  return join(root, `${prefix}${n}`);
}

/** Library failures the user can act on become one-line CLI errors (exit 1). */
function toCliError(e: unknown): unknown {
  if (e instanceof ConfigError) return new CliError(e.message.replace(/\n/g, '; '));
  if (e instanceof ModelError || e instanceof DataError) return new CliError(`${e.code}: ${e.message}`);
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return new CliError((e as Error).message);
  return e;
}

function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw toCliError(e);
  }
}

async function guardAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw toCliError(e);
  }
}
