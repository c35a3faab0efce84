import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { LineCounter, type Node, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { ConfigError } from './errors.js';
import { type LineOf, parseExperiment } from './parse.js';
import type { ExperimentConfig } from './types.js';

/** Options of {@link loadExperiment}. */
export interface LoadOptions {
  /**
   * Values laid over the file before validation (e.g. from command-line flags): mappings are
   * merged key by key, anything else replaces the file's value; `undefined` leaves it alone.
   */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** A config file read from disk, not yet validated. */
export interface ConfigFile {
  /** The parsed YAML or JSON value (`undefined` for an empty file). */
  readonly value: unknown;
  /** The line of a path in the file, when the path (or its nearest parent) is written there. */
  readonly lineOf: LineOf;
}

/**
 * Reads an experiment config from a YAML or JSON file, validates it and fills its defaults.
 * `.json` files are read as JSON, `.yaml`/`.yml` as YAML; any other name is JSON when its text
 * starts with `{`, else YAML. An empty file is the default experiment. A relative
 * `model.teacher.path` is resolved against the file's directory.
 *
 * @throws {@link ConfigError} when the file cannot be read or parsed (with the line and column
 *   the parser gives), or when the config is invalid (every problem, with its line in the file).
 */
export function loadExperiment(file: string, options: LoadOptions = {}): ExperimentConfig {
  const { value, lineOf } = readConfigFile(file);
  const input = options.overrides ? mergeOverrides(value ?? {}, options.overrides) : value;
  const config = parseExperiment(input, { source: file, lineOf });
  const teacherPath = config.model.teacher.path;
  if (teacherPath !== undefined && !isAbsolute(teacherPath)) {
    config.model.teacher.path = resolve(dirname(file), teacherPath);
  }
  return config;
}

/**
 * Reads and parses a config file without validating it.
 *
 * @throws {@link ConfigError} when the file cannot be read or is not well-formed YAML or JSON.
 */
export function readConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT'
        ? 'no such file'
        : err.code === 'EISDIR'
          ? 'it is a directory'
          : err.code === 'EACCES'
            ? 'permission denied'
            : err.message;
    throw new ConfigError([{ message: `cannot read the experiment config: ${why}` }], file);
  }
  const ext = extname(file).toLowerCase();
  return readConfigText(
    text,
    file,
    ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : undefined,
  );
}

/**
 * Parses config text (YAML or JSON) without validating it; `format` undefined: JSON when the
 * text starts with `{`, else YAML. `source` names it in errors (a file name, "the request body").
 *
 * @throws {@link ConfigError} when the text is not well-formed YAML or JSON.
 */
export function readConfigText(text: string, source: string, format?: 'yaml' | 'json'): ConfigFile {
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const json = format === 'json' || (format === undefined && text.trimStart().startsWith('{'));
  return json ? readJson(source, text) : readYaml(source, text);
}

/**
 * Validates an experiment config given as text, with the same messages as {@link loadExperiment}
 * (every problem, with its line). A relative `model.teacher.path` stays as written.
 *
 * @throws {@link ConfigError}
 */
export function parseExperimentText(
  text: string,
  source: string,
  format?: 'yaml' | 'json',
): ExperimentConfig {
  const { value, lineOf } = readConfigText(text, source, format);
  return parseExperiment(value, { source, lineOf });
}

function readYaml(file: string, text: string): ConfigFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return { message: `bad YAML: ${firstLine(e.message)}`, line, column: col };
      }),
      file,
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigError([{ message: `bad YAML: ${firstLine((e as Error).message)}` }], file);
  }
  return { value: value ?? undefined, lineOf: lineFinder(doc.contents, lineCounter) };
}

function readJson(file: string, text: string): ConfigFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // V8's messages differ between Node versions and may give no position: find it ourselves.
    const offset = jsonErrorOffset(text);
    const pos = offset >= 0 ? lineColumn(text, offset) : undefined;
    const message = firstLine((e as Error).message).replace(/ in JSON at position \d+.*$/, '');
    throw new ConfigError([{ message: `bad JSON: ${message}`, ...pos }], file);
  }
  // JSON is YAML 1.2 flow syntax, so the YAML parser can still tell where each key sits.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const lineOf: LineOf = doc.errors.length === 0 ? lineFinder(doc.contents, lineCounter) : () => undefined;
  return { value, lineOf };
}

/** Finds the line of a path: the key of its last mapping step, or the nearest parent that exists. */
function lineFinder(root: unknown, lineCounter: LineCounter): LineOf {
  return (path) => {
    let node = root as Node | null | undefined;
    let offset = rangeStart(node);
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg),
        );
        if (!pair) break;
        offset = rangeStart(pair.key as Node) ?? offset;
        node = pair.value as Node | null;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (item === undefined) break;
        offset = rangeStart(item) ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return offset === undefined ? undefined : { line: lineCounter.linePos(offset).line };
  };
}

function rangeStart(node: Node | null | undefined): number | undefined {
  return node && typeof node === 'object' && 'range' in node && node.range ? node.range[0] : undefined;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** The offset of the first JSON syntax error in `text` (RFC 8259, loosely on escapes), or -1. */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (c: string): void => {
    ws();
    if (text[i] !== c) fail();
    i++;
  };
  const str = (): void => {
    if (text[i] !== '"') fail();
    for (i++; i < text.length; i++) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') i++;
      else if (c < ' ') fail();
    }
    fail();
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          str();
          expect(':');
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect(close);
      }
    }
    if (c === '"') return str();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) fail();
    i = NUMBER.lastIndex;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (at) {
    if (typeof at !== 'number') throw at;
    return Math.min(at, text.length);
  }
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0]!.trim();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lays `over` onto `base`: mappings merge key by key; other values replace; undefined is skipped. */
export function mergeOverrides(base: unknown, over: Readonly<Record<string, unknown>>): unknown {
  if (!isRecord(base)) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isRecord(v) && isRecord(out[k]) ? mergeOverrides(out[k], v) : v;
  }
  return out;
}
