/**
 * Reading `welcome.architecture`, the JSON text the coordinator sends so that a client builds the
 * same network the weights belong to. The protocol treats it as opaque; fedzip's coordinator sends
 * `{"model": <ModelConfig>, "inputShape": [...], "numClasses": n}`. The flat form of
 * docs/protocol.md's example (`{"kind": "mlp", …, "inputShape": [...], "classes": n}`) is read too.
 */
import type { ModelConfig, ModelInput, TrainingData } from '@fedzip/model';
import { ClientError } from '../errors.js';

/** A parsed architecture: what `createModel(model, input)` needs. */
export interface Architecture {
  readonly model: ModelConfig;
  readonly input: ModelInput;
  /** Canonical JSON (sorted keys) of `{model, inputShape, numClasses}`, to compare two welcomes. */
  readonly canonical: string;
}

const KINDS: readonly string[] = ['mlp', '2nn', 'cnn'];

function bad(why: string): never {
  throw new ClientError('BAD_ARCHITECTURE', `welcome.architecture: ${why}`, {
    fatal: true,
    event: 'welcome',
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/** JSON with object keys sorted at every level, so that key order never makes two texts differ. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Parses `welcome.architecture`. Checks the shape of the text only; `createModel` checks the
 * config's values when the model is built.
 *
 * @throws {@link ClientError} `BAD_ARCHITECTURE` (fatal) when the text is not a readable architecture.
 */
export function parseArchitecture(text: string): Architecture {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    bad(`not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isRecord(raw)) bad('not a JSON object');
  // Lead's form nests the config under `model`; the flat form puts `kind` at the top.
  const { model: nested, inputShape, numClasses, classes, ...rest } = raw;
  const model = isRecord(nested) ? nested : nested === undefined ? rest : bad('"model" is not an object');
  if (typeof model['kind'] !== 'string' || !KINDS.includes(model['kind'])) {
    bad(`model kind ${JSON.stringify(model['kind'])} is not one of ${KINDS.join(', ')}`);
  }
  if (!Array.isArray(inputShape) || inputShape.length === 0 || !inputShape.every(positiveInt)) {
    bad(`"inputShape" must be a non-empty list of positive integers, got ${JSON.stringify(inputShape)}`);
  }
  const n = numClasses ?? classes;
  if (!positiveInt(n)) bad(`"numClasses" must be a positive integer, got ${JSON.stringify(n)}`);
  const config = model as unknown as ModelConfig;
  const shape = Object.freeze([...inputShape]);
  return Object.freeze({
    model: config,
    input: Object.freeze({ shape, numClasses: n }),
    canonical: canonicalJson({ model: config, inputShape: shape, numClasses: n }),
  });
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Checks that the local data can train the architecture's model: the same values per sample and
 * the same classes, and consistent lengths.
 *
 * @throws {@link ClientError} `DATA_MISMATCH` (fatal) naming what differs.
 */
export function checkDataFits(arch: Architecture, data: TrainingData): void {
  const want = product(arch.input.shape);
  const have = product(data.shape);
  const fail = (why: string): never => {
    throw new ClientError('DATA_MISMATCH', `the local data does not fit the experiment's model: ${why}`, {
      fatal: true,
      event: 'welcome',
    });
  };
  if (have !== want) {
    fail(
      `samples of [${data.shape.join(', ')}] (${have} values), the model takes [${arch.input.shape.join(', ')}]`,
    );
  }
  if (data.numClasses !== arch.input.numClasses) {
    fail(`${data.numClasses} classes, the model has ${arch.input.numClasses}`);
  }
}
