/**
 * The run folder of `fedzip run` and `fedzip serve`: `--out <dir>` (default `runs/`) gets a
 * folder named after the experiment id holding report.html, metrics.json, rounds.csv and the
 * accuracy-vs-uplink figure (docs/reports.md); `--no-report` skips it.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { backendInfo } from '@fedzip/model';
import {
  type ExperimentSetup,
  type ExperimentSummary,
  RUN_FILES,
  writeRunReport,
} from '../../../coordinator/src/index.js';
import { CliError } from '../support/errors.js';
import { packageVersion } from '../support/version.js';

/** The parent folder of run folders when `--out` is not given (git-ignored). */
export const DEFAULT_RUNS_DIR = 'runs';

/** The `--out <dir>` and `--no-report` options of `fedzip run` and `fedzip serve`, as commander parses them. */
export interface ReportOptions {
  readonly out: string;
  /** false with `--no-report`. */
  readonly report: boolean;
}

/** What {@link printRun} needs to write the run folder. */
export interface ReportTarget {
  readonly out: string;
  readonly setup: ExperimentSetup;
}

/** The target for `opts`, or undefined with `--no-report`. */
export function reportTarget(opts: ReportOptions, setup: ExperimentSetup): ReportTarget | undefined {
  return opts.report ? { out: opts.out, setup } : undefined;
}

/**
 * Writes the run folder and returns the path of its report.html as it is best shown: relative to
 * the working directory when inside it.
 */
export async function writeRunFolder(
  target: ReportTarget,
  summary: ExperimentSummary,
  startedAt: Date,
): Promise<string> {
  const dir = resolve(target.out, target.setup.id);
  const backend = backendInfo();
  try {
    await writeRunReport(dir, {
      experimentId: target.setup.id,
      config: target.setup.config,
      status: summary.status,
      ...(summary.reason !== undefined ? { reason: summary.reason } : {}),
      rounds: summary.rounds,
      finalAccuracy: summary.finalAccuracy,
      finalLoss: summary.finalLoss,
      records: summary.records,
      startedAt,
      finishedAt: new Date(),
      environment: {
        fedzip: packageVersion(),
        ...(backend
          ? {
              backend: `${backend.name}${backend.simd ? ' simd' : ''}, ${backend.threads} thread${backend.threads === 1 ? '' : 's'}`,
            }
          : {}),
      },
    });
  } catch (err) {
    throw new CliError(
      `cannot write the run folder '${dir}': ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const html = join(dir, RUN_FILES.html);
  const rel = relative(process.cwd(), html);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : html;
}
