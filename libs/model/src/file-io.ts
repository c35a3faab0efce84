/**
 * Saving and loading models in the tfjs format (`model.json` + `weights.bin`) on a Node file
 * system. tfjs without tfjs-node has no `file://` handler, so this is a small `tf.io.IOHandler`
 * over `node:fs`. The Node modules are imported lazily, so that importing this library in a
 * browser does not fail; calling these functions there does.
 */
import * as tf from '@tensorflow/tfjs';
import { ModelError, check } from './errors.js';

/** File name of the topology and weights manifest. */
export const MODEL_JSON = 'model.json';
/** File name of the concatenated weights. */
export const WEIGHTS_BIN = 'weights.bin';

async function node() {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs, path };
}

function notFound(e: unknown, what: string): never {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') throw new ModelError('BAD_ARTIFACTS', `${what} does not exist`);
  throw e;
}

/**
 * A `tf.io.IOHandler` over the file system.
 *
 * - `save` writes `<dir>/model.json` and `<dir>/weights.bin`, creating `dir` (and parents).
 * - `load` reads a `model.json` (given as the file, or as its directory) and every weight file
 *   its manifest lists, relative to it: models written by tfjs's Python converter or by
 *   `tfjs-node` load too.
 */
export class FileSystemHandler implements tf.io.IOHandler {
  /** @param path The directory to save into, or the directory or `model.json` to load from. */
  constructor(readonly path: string) {}

  /** Writes the artifacts as `<path>/weights.bin`, then `<path>/model.json`. */
  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    const { fs, path } = await node();
    const { modelJson, weights: bytes } = modelFilesOf(artifacts);
    await fs.mkdir(this.path, { recursive: true });
    const json = JSON.stringify(modelJson);
    // Weights first, so that a model.json never points at a missing or partial weights file.
    await fs.writeFile(path.join(this.path, WEIGHTS_BIN), bytes);
    await fs.writeFile(path.join(this.path, MODEL_JSON), json, 'utf8');
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        modelTopologyBytes: JSON.stringify(modelJson.modelTopology).length,
        weightSpecsBytes: JSON.stringify(modelJson.weightsManifest).length,
        weightDataBytes: bytes.byteLength,
      },
    };
  }

  /**
   * Reads `model.json` and its weight files.
   *
   * @throws {@link ModelError} `BAD_ARTIFACTS` when a file is missing or the JSON is malformed.
   */
  async load(): Promise<tf.io.ModelArtifacts> {
    const { fs, path } = await node();
    let file = this.path;
    const info = await fs.stat(file).catch((e: unknown) => notFound(e, file));
    if (info.isDirectory()) file = path.join(file, MODEL_JSON);
    const text = await fs.readFile(file, 'utf8').catch((e: unknown) => notFound(e, file));
    let modelJson: tf.io.ModelJSON;
    try {
      modelJson = JSON.parse(text) as tf.io.ModelJSON;
    } catch (e) {
      throw new ModelError('BAD_ARTIFACTS', `${file} is not JSON: ${(e as Error).message}`);
    }
    check(
      typeof modelJson === 'object' && modelJson !== null && modelJson.modelTopology != null,
      'BAD_ARTIFACTS',
      `${file} has no modelTopology`,
    );
    const dir = path.dirname(file);
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of modelJson.weightsManifest ?? []) {
      for (const p of group.paths) {
        const weightsPath = path.join(dir, p);
        const buf = await fs.readFile(weightsPath).catch((e: unknown) => notFound(e, weightsPath));
        buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
      }
      specs.push(...group.weights);
    }
    const artifacts: tf.io.ModelArtifacts = {
      modelTopology: modelJson.modelTopology,
      format: modelJson.format,
      generatedBy: modelJson.generatedBy,
      convertedBy: modelJson.convertedBy,
      weightSpecs: specs,
      weightData: tf.io.CompositeArrayBuffer.join(buffers),
    };
    if (modelJson.trainingConfig != null) artifacts.trainingConfig = modelJson.trainingConfig;
    if (modelJson.signature != null) artifacts.signature = modelJson.signature;
    if (modelJson.userDefinedMetadata != null) artifacts.userDefinedMetadata = modelJson.userDefinedMetadata;
    if (modelJson.modelInitializer != null) artifacts.modelInitializer = modelJson.modelInitializer;
    return artifacts;
  }
}

/**
 * The two files of tfjs's layers-model format for some artifacts: `model.json`, whose manifest
 * points at `weightsPath` (relative to it), and the weights' bytes.
 *
 * @throws {@link ModelError} `BAD_ARTIFACTS` for a binary (GraphDef) topology.
 */
export function modelFilesOf(
  artifacts: tf.io.ModelArtifacts,
  weightsPath: string = WEIGHTS_BIN,
): { modelJson: tf.io.ModelJSON; weights: Uint8Array } {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new ModelError('BAD_ARTIFACTS', 'binary (GraphDef) topologies cannot be saved');
  }
  const data = artifacts.weightData === undefined ? new ArrayBuffer(0) : artifacts.weightData;
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology ?? {},
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature != null) modelJson.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.modelInitializer != null) modelJson.modelInitializer = artifacts.modelInitializer;
  return { modelJson, weights };
}

/** The tfjs `model.json` and weight bytes of a model, in memory (to serve it over HTTP, say). */
export async function modelFiles(
  model: tf.LayersModel,
  weightsPath: string = WEIGHTS_BIN,
): Promise<{ modelJson: tf.io.ModelJSON; weights: Uint8Array }> {
  let files: { modelJson: tf.io.ModelJSON; weights: Uint8Array } | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      files = modelFilesOf(artifacts, weightsPath);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files!;
}

/** A file-system IOHandler for `path` (a directory to save into; a directory or model.json to load). */
export function fileSystem(path: string): FileSystemHandler {
  return new FileSystemHandler(path);
}

/** Saves `model` as `<dir>/model.json` + `<dir>/weights.bin` (tfjs format). Node only. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<tf.io.SaveResult> {
  return model.save(fileSystem(dir));
}

/**
 * Loads a tfjs Layers model from `path`: its `model.json` or the directory holding it. This is how
 * a user brings their own teacher. Node only.
 *
 * @throws {@link ModelError} `BAD_ARTIFACTS` when the files are missing or malformed.
 */
export async function loadModel(path: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileSystem(path));
}
