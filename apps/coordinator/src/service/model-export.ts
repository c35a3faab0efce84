import { createModel, modelFiles, setFlatWeights } from '@fedzip/model';
import type { Architecture } from '../setup/experiment-setup.js';

/** A global model as tfjs layers-model files (the network the architecture describes, with `weights`). */
export async function modelArtifactsOf(
  architecture: Architecture,
  weights: Float32Array,
  weightsPath: string,
) {
  const model = createModel(
    architecture.model as Parameters<typeof createModel>[0],
    { shape: architecture.inputShape, numClasses: architecture.numClasses },
    { seed: 0 },
  );
  try {
    setFlatWeights(model, weights);
    return await modelFiles(model, weightsPath);
  } finally {
    model.dispose();
  }
}
