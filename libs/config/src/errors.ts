/** One problem with an experiment config. */
export interface ConfigIssue {
  /**
   * The field at fault, e.g. `['clients', 'perRound']`; `[]` for the config as a whole; undefined
   * for a problem with the file itself (unreadable, bad YAML or JSON).
   */
  readonly path?: readonly (string | number)[];
  /** What is wrong, then what is allowed in parentheses. */
  readonly message: string;
  /** 1-based line in the source file, when known. */
  readonly line?: number;
  /** 1-based column in the source file, when known. */
  readonly column?: number;
}

/**
 * An invalid experiment config. `message` lists every problem, one per line, as
 * `<path>: <what is wrong> (<what is allowed>)`, prefixed with `<file>:<line>: ` when the config
 * came from a file. `issues` holds the same problems for programs.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly issues: readonly ConfigIssue[],
    /** The file (or other source name) the config came from. */
    readonly source?: string,
  ) {
    super(issues.map((i) => formatIssue(i, source)).join('\n'));
  }
}

/** `clients.perRound`, `model.student.hidden[1]`, or `(top level)` for the empty path. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const seg of path) {
    out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** One line: `[<source>[:<line>[:<column>]]: ][<path>: ]<message>`. */
export function formatIssue(issue: ConfigIssue, source?: string): string {
  let where = source ?? '';
  if (source !== undefined && issue.line !== undefined) {
    where += `:${issue.line}`;
    if (issue.path === undefined && issue.column !== undefined) where += `:${issue.column}`;
  }
  const path = issue.path === undefined ? '' : `${formatPath(issue.path)}: `;
  return `${where ? `${where}: ` : ''}${path}${issue.message}`;
}
