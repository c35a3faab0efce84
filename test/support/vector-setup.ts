import { parseExperiment } from '@fedzip/config';
import type { ExperimentSetup } from '../../apps/coordinator/src/index.js';

/**
 * A coordinator setup over a plain vector "model" (no tfjs): evaluation reports
 * accuracy = 1 / (1 + ‖w − target‖), which rises as clients pull w to the target.
 */
export function vectorSetup(
  n: number,
  overrides: Record<string, unknown> = {},
): { setup: ExperimentSetup; target: Float32Array } {
  const target = new Float32Array(n).map((_, i) => Math.sin(i));
  const config = parseExperiment({
    name: 'vector',
    rounds: 3,
    clients: { count: 4, perRound: 3, minResults: 2, deadlineSeconds: 5 },
    compression: { uplink: 'topk:0.2+q8', errorFeedback: true, downlink: 'topk:0.5+q8', downlinkFull: 'q8' },
    ...overrides,
  });
  const setup: ExperimentSetup = {
    id: 'vector',
    config,
    architecture: { model: { kind: 'vector' }, inputShape: [n], numClasses: 1 },
    layout: [{ name: 'w', shape: [n] }],
    initialWeights: new Float32Array(n),
    joinToken: 'secret-token',
    adminToken: 'admin-token-for-tests',
    evaluate: async (w) => {
      let d = 0;
      for (let i = 0; i < n; i++) d += (w[i]! - target[i]!) ** 2;
      return { accuracy: 1 / (1 + Math.sqrt(d)), loss: Math.sqrt(d) };
    },
  };
  return { setup, target };
}
