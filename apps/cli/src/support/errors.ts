import { CodecError } from '@fedzip/codec';
import { ConfigError } from '@fedzip/config';
import { DataError } from '@fedzip/data';
import { ModelError } from '@fedzip/model';
import { CommanderError } from 'commander';

/** Exit codes of `fedzip` (docs/cli.md, "Exit codes"). */
export const EXIT_OK = 0;
/** Bad data or a failed file operation: unreadable input, corrupted message, wrong sizes. */
export const EXIT_DATA = 1;
/** The command line itself is wrong: unknown command or option, missing or invalid option value. */
export const EXIT_USAGE = 2;

/** An error meant for the user: its message is printed as `fedzip: <message>`, never with a stack. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_DATA,
  ) {
    super(message);
  }
}

/** A {@link CliError} for a malformed command line (exit 2). */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT_USAGE);
}

/** How a failure is reported: one line for stderr (null when nothing is to be printed) and an exit code. */
export interface Report {
  readonly line: string | null;
  readonly exitCode: number;
}

/**
 * Maps anything a command throws to one stderr line and an exit code. Commander's help and
 * version "errors" exit 0 silently (they already printed to stdout); `CodecError`s keep their code.
 */
export function report(err: unknown): Report {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return { line: null, exitCode: EXIT_OK };
    return { line: oneLine(err.message.replace(/^error: /, '')), exitCode: EXIT_USAGE };
  }
  if (err instanceof CodecError) {
    const exitCode = err.code === 'BAD_SPEC' ? EXIT_USAGE : EXIT_DATA;
    return { line: oneLine(`${err.code}: ${err.message}`), exitCode };
  }
  if (err instanceof CliError) return { line: oneLine(err.message), exitCode: err.exitCode };
  // Errors about the user's inputs (config files, data, models): their messages name the problem.
  if (err instanceof ConfigError) return { line: oneLine(`bad config: ${err.message}`), exitCode: EXIT_DATA };
  if (err instanceof DataError || err instanceof ModelError) {
    return { line: oneLine(`${err.code}: ${err.message}`), exitCode: EXIT_DATA };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { line: oneLine(`internal error: ${message}`), exitCode: EXIT_DATA };
}

function oneLine(text: string): string {
  return `fedzip: ${text.trim().replace(/\s*\n\s*/g, ' ')}`;
}
