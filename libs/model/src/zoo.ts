/**
 * The model zoo: small Keras-style classifiers built from a config object. Every model outputs
 * logits (no softmax), names its layers (so that weight names and flat layouts are stable across
 * processes), and initialises deterministically from a seed.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '@fedzip/codec';
import type { ModelInput } from './data-types.js';
import { sampleSize } from './data-types.js';
import { check } from './errors.js';

/** A multilayer perceptron: `hidden` ReLU layers, then a linear layer to the logits. */
export interface MlpConfig {
  readonly kind: 'mlp';
  /** Widths of the hidden layers. Default `[128]` (784-128-10 on MNIST). */
  readonly hidden?: readonly number[];
}

/** McMahan et al. 2017's "2NN": two hidden ReLU layers of 200 (199,210 parameters on MNIST). */
export interface TwoNnConfig {
  readonly kind: '2nn';
}

/**
 * McMahan et al. 2017's CNN: conv k×k·`filters[0]` (ReLU, same padding) → 2×2 max-pool →
 * conv k×k·`filters[1]` → 2×2 max-pool → dense `dense` (ReLU) → logits. The defaults give the
 * paper's 1,663,370 parameters on 28×28×1; smaller channel counts and width give a cheap student.
 */
export interface CnnConfig {
  readonly kind: 'cnn';
  /** Channels of the two convolutions. Default `[32, 64]`. */
  readonly filters?: readonly [number, number];
  /** Width of the hidden dense layer. Default 512. */
  readonly dense?: number;
  /** Side of the square convolution kernels. Default 5. */
  readonly kernelSize?: number;
}

/** Any model of the zoo. */
export type ModelConfig = MlpConfig | TwoNnConfig | CnnConfig;

/** The kinds of model the zoo builds. */
export type ModelKind = ModelConfig['kind'];

/** Options of {@link createModel}. */
export interface CreateModelOptions {
  /** Seed of the weight initialisation; the same seed gives bit-identical weights. Default 0. */
  seed?: number;
}

function positiveInt(v: number, what: string): number {
  check(Number.isInteger(v) && v >= 1, 'BAD_OPTION', `${what} must be a positive integer, got ${v}`);
  return v;
}

/** A short human-readable name, e.g. `mlp(128)`, `2nn` or `cnn(32,64,fc512)`. */
export function describeModel(config: ModelConfig): string {
  switch (config.kind) {
    case 'mlp':
      return `mlp(${(config.hidden ?? [128]).join(',')})`;
    case '2nn':
      return '2nn';
    case 'cnn': {
      const [a, b] = config.filters ?? [32, 64];
      const k = config.kernelSize ?? 5;
      return `cnn(${a},${b},fc${config.dense ?? 512}${k === 5 ? '' : `,k${k}`})`;
    }
  }
}

/** The image shape `[H, W, C]` a CNN sees for a sample shape, reshaping flat square inputs. */
function imageShape(shape: readonly number[]): [number, number, number] {
  if (shape.length === 3) return [shape[0]!, shape[1]!, shape[2]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!, 1];
  const side = Math.round(Math.sqrt(sampleSize(shape)));
  check(
    shape.length === 1 && side * side === shape[0],
    'BAD_DATA',
    `a cnn needs [H, W, C], [H, W] or a flat square sample shape, got [${shape.join(', ')}]`,
  );
  return [side, side, 1];
}

/**
 * Builds the model `config` describes for samples of `input.shape` and `input.numClasses` classes
 * (a `Dataset` serves as `input`). Kernels use Glorot-uniform initialisation seeded per layer from
 * `options.seed`; biases start at zero.
 *
 * @throws {@link ModelError} `BAD_OPTION` for an invalid config, `BAD_DATA` for an input shape the
 *   model cannot take.
 */
export function createModel(
  config: ModelConfig,
  input: ModelInput,
  options: CreateModelOptions = {},
): tf.Sequential {
  const seed = options.seed ?? 0;
  check(Number.isSafeInteger(seed), 'BAD_OPTION', `seed must be an integer, got ${seed}`);
  check(
    input.shape.length > 0 && input.shape.every((d) => Number.isInteger(d) && d > 0),
    'BAD_DATA',
    `sample shape must be positive integers, got [${input.shape.join(', ')}]`,
  );
  const classes = positiveInt(input.numClasses, 'numClasses');
  const rng = createRng(seed);
  const init = () => tf.initializers.glorotUniform({ seed: rng.nextUint32() });
  const inputShape = [...input.shape];
  const layers: tf.layers.Layer[] = [];
  // The first layer declares the input shape; a flat input needs no Flatten (nor accepts one).
  let first: { inputShape: number[] } | object = { inputShape };
  const dense = (name: string, units: number, relu: boolean): tf.layers.Layer => {
    const layer = tf.layers.dense({
      name,
      ...first,
      units,
      activation: relu ? 'relu' : 'linear',
      kernelInitializer: init(),
      biasInitializer: 'zeros',
    });
    first = {};
    return layer;
  };

  switch (config.kind) {
    case 'mlp':
    case '2nn': {
      const hidden = config.kind === '2nn' ? [200, 200] : (config.hidden ?? [128]);
      hidden.forEach((w, i) => positiveInt(w, `hidden[${i}]`));
      if (inputShape.length > 1) {
        layers.push(tf.layers.flatten({ name: 'flatten', inputShape }));
        first = {};
      }
      hidden.forEach((w, i) => layers.push(dense(`dense${i + 1}`, w, true)));
      break;
    }
    case 'cnn': {
      const [f1, f2] = config.filters ?? [32, 64];
      positiveInt(f1, 'filters[0]');
      positiveInt(f2, 'filters[1]');
      const k = positiveInt(config.kernelSize ?? 5, 'kernelSize');
      const width = positiveInt(config.dense ?? 512, 'dense');
      const image = imageShape(input.shape);
      check(
        image[0] >= 4 && image[1] >= 4,
        'BAD_DATA',
        `a cnn needs images of at least 4×4, got ${image[0]}×${image[1]}`,
      );
      const conv = (name: string, filters: number, shape?: number[]) =>
        tf.layers.conv2d({
          name,
          ...(shape ? { inputShape: shape } : {}),
          filters,
          kernelSize: k,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: init(),
          biasInitializer: 'zeros',
        });
      const pool = (name: string) => tf.layers.maxPooling2d({ name, poolSize: 2 });
      const reshape = input.shape.length !== 3;
      if (reshape) layers.push(tf.layers.reshape({ name: 'image', targetShape: image, inputShape }));
      layers.push(conv('conv1', f1, reshape ? undefined : inputShape), pool('pool1'));
      first = {};
      layers.push(conv('conv2', f2), pool('pool2'));
      layers.push(tf.layers.flatten({ name: 'flatten' }), dense('fc', width, true));
      break;
    }
    default: {
      const kind: unknown = (config as { kind?: unknown }).kind;
      check(false, 'BAD_OPTION', `unknown model kind ${String(kind)}`);
    }
  }
  layers.push(dense('logits', classes, false));
  return tf.sequential({ name: `fedzip_${config.kind}`, layers });
}
