/**
 * The coordinator's pino logger: JSON lines on stderr (stdout of the CLI carries results), ISO
 * timestamps, level names instead of numbers, one logger per coordinator.
 */
import {
  type DestinationStream,
  type LevelWithSilent,
  type Logger,
  destination,
  pino,
  stdTimeFunctions,
} from 'pino';

/** The log levels, quietest last: pino's levels plus `silent`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevelName = LevelWithSilent;

/** Checks a level name (from `LOG_LEVEL` or an option); `source` names it in the error. */
export function parseLogLevel(value: string, source = 'LOG_LEVEL'): LogLevelName {
  const level = value.trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevelName;
  throw new Error(`${source}: expected one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
}

/** The level from the `LOG_LEVEL` environment variable, or undefined when it is unset or empty. */
export function envLogLevel(env: NodeJS.ProcessEnv = process.env): LogLevelName | undefined {
  const value = env['LOG_LEVEL'];
  return value === undefined || value.trim() === '' ? undefined : parseLogLevel(value);
}

/** Options of {@link createCoordinatorLogger}. */
export interface CoordinatorLoggerOptions {
  readonly level: LogLevelName;
  /** Where the JSON lines go (default: stderr, written synchronously so no line is lost on exit). */
  readonly destination?: DestinationStream;
}

/** Creates the pino logger of one coordinator. */
export function createCoordinatorLogger(options: CoordinatorLoggerOptions): Logger {
  return pino(
    {
      name: 'fedzip',
      level: options.level,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? destination({ dest: 2, sync: true }),
  );
}
