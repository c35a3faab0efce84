/**
 * @fedzip/model: everything that touches TensorFlow.js. Backend setup (wasm with this library's
 * gradient kernels, cpu fallback), the model zoo, weights ⇄ flat `Float32Array`, local training
 * with FedProx and L1, evaluation, and tfjs-format files on disk.
 */
export * from './index.browser.js';
export {
  FileSystemHandler,
  MODEL_JSON,
  WEIGHTS_BIN,
  fileSystem,
  loadModel,
  modelFiles,
  modelFilesOf,
  saveModel,
} from './file-io.js';
export { type ExperimentData, loadExperimentData } from './pipeline/experiment-data.js';
export {
  type CompressedFigures,
  type ModelFigures,
  type PrepareOptions,
  type PreparedStudent,
  type StudentArchitecture,
  prepareStudent,
} from './pipeline/prepare-student.js';
