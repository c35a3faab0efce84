import { type LogLevelName, envLogLevel } from '../../../coordinator/src/observability/logger.js';
import { usageError } from './errors.js';

/** The coordinator's log level for a command: `LOG_LEVEL` when set (a bad one exits 2), else `fallback`. */
export function cliLogLevel(fallback: LogLevelName): LogLevelName {
  try {
    return envLogLevel() ?? fallback;
  } catch (e) {
    throw usageError((e as Error).message);
  }
}
