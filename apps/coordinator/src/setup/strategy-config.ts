import type { StrategyConfig } from '@fedzip/aggregation';
import type { ExperimentConfig } from '@fedzip/config';

/**
 * The aggregation strategy's config from the experiment's. Rounds accept failures (dropped or
 * rejected clients) as long as `minResults` updates arrived: the round scheduler already enforced
 * that quorum, and a killed client must not stall a round.
 */
export function strategyConfig(c: ExperimentConfig): StrategyConfig {
  const cl = c.clients;
  const common = {
    ...(cl.perRound !== undefined ? { clientsPerRound: cl.perRound } : { fraction: cl.fraction ?? 1 }),
    minAvailable: cl.minAvailable,
    minResults: cl.minResults,
    acceptFailures: true,
  };
  const s = c.strategy;
  switch (s.name) {
    case 'fedavg':
      return { ...common, name: s.name, serverLr: s.serverLr };
    case 'fedavgm':
      return { ...common, name: s.name, serverLr: s.serverLr, momentum: s.momentum };
    case 'fedadam':
    case 'fedyogi':
      return { ...common, name: s.name, serverLr: s.serverLr, beta1: s.beta1, beta2: s.beta2, tau: s.tau };
    case 'fedadagrad':
      return { ...common, name: s.name, serverLr: s.serverLr, beta1: s.beta1, tau: s.tau };
    // Byzantine-robust strategies (issue 7)
    case 'median':
      return { ...common, name: s.name, serverLr: s.serverLr };
    case 'trimmed-mean':
      return { ...common, name: s.name, serverLr: s.serverLr, beta: s.beta };
    case 'krum':
      return { ...common, name: s.name, serverLr: s.serverLr, byzantine: s.byzantine, multi: s.multi };
    case 'centered-clip':
      return { ...common, name: s.name, serverLr: s.serverLr, radius: s.radius, iterations: s.iterations };
    case 'norm-clip':
      // FedAvg behind NormClipping: a fixed bound streams (O(model)); a median multiple needs
      // every delta.
      return {
        ...common,
        name: 'fedavg',
        serverLr: s.serverLr,
        clip:
          s.maxNorm !== undefined
            ? { maxNorm: s.maxNorm }
            : { medianMultiple: s.medianMultiple ?? 1, action: s.action },
      };
  }
}
