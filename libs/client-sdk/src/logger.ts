/**
 * A minimal logger interface, so that the core needs neither a logging library nor Node's
 * `console` quirks; a browser page or a CLI plugs in its own.
 */

/** Where the client writes what it does and why. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Log levels, least severe first. */
export type LogLevel = keyof Logger;

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const noop = (): void => {};

/** A logger that discards everything (the default: a library should not print unasked). */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/** Fills the missing methods of a partial logger with no-ops. */
export function toLogger(partial: Partial<Logger> | undefined): Logger {
  if (partial === undefined) return silentLogger;
  const bind = (level: LogLevel) => partial[level]?.bind(partial) ?? noop;
  return { debug: bind('debug'), info: bind('info'), warn: bind('warn'), error: bind('error') };
}

/**
 * A logger over the global `console` (present in Node and browsers), prefixing every line and
 * dropping messages below `level` (default `info`).
 */
export function consoleLogger(prefix: string, level: LogLevel = 'info'): Logger {
  const min = LEVELS.indexOf(level);
  const at = (l: LogLevel, write: (line: string) => void) =>
    LEVELS.indexOf(l) >= min ? (m: string) => write(`${prefix} ${m}`) : noop;
  return {
    debug: at('debug', (s) => console.debug(s)),
    info: at('info', (s) => console.info(s)),
    warn: at('warn', (s) => console.warn(s)),
    error: at('error', (s) => console.error(s)),
  };
}
