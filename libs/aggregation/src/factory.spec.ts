import { describe, expect, it } from '@jest/globals';
import { AggregationError } from './errors.js';
import { STRATEGY_NAMES, type StrategyConfig, createStrategy } from './factory.js';
import { FedAdagrad, FedAdam, FedYogi } from './strategies/fedopt.js';
import { FedAvg, FedAvgM, FedProx } from './strategies/fedavg.js';
import { NormClipping } from './strategies/norm-clipping.js';
import { CenteredClipping, FedMedian, FedTrimmedMean, Krum } from './strategies/robust.js';

/** The AggregationError a config raises (fails the test if none). */
function configError(config: unknown): AggregationError {
  try {
    createStrategy(config as StrategyConfig);
  } catch (e) {
    if (e instanceof AggregationError) return e;
    throw e;
  }
  throw new Error(`${JSON.stringify(config)} was accepted`);
}

describe('createStrategy', () => {
  it('builds every strategy by name', () => {
    const cases: [StrategyConfig, new (...a: never[]) => object][] = [
      [{ name: 'fedavg' }, FedAvg],
      [{ name: 'fedprox', proximalMu: 0.01 }, FedProx],
      [{ name: 'fedavgm' }, FedAvgM],
      [{ name: 'fedadam' }, FedAdam],
      [{ name: 'fedyogi' }, FedYogi],
      [{ name: 'fedadagrad' }, FedAdagrad],
      [{ name: 'median' }, FedMedian],
      [{ name: 'trimmed-mean', beta: 0.1 }, FedTrimmedMean],
      [{ name: 'krum', byzantine: 2, multi: 3 }, Krum],
      [{ name: 'centered-clip', radius: 1 }, CenteredClipping],
    ];
    expect(cases.map(([c]) => c.name).sort()).toEqual([...STRATEGY_NAMES].sort());
    for (const [config, cls] of cases) {
      const s = createStrategy(config);
      expect(s).toBeInstanceOf(cls);
      expect(s.name).toBe(config.name);
    }
  });

  it('passes the parameters through', () => {
    const adam = createStrategy({
      name: 'fedadam',
      serverLr: 0.05,
      beta1: 0.8,
      beta2: 0.9,
      tau: 1e-4,
    }) as FedAdam;
    expect(adam.params).toEqual({ eta: 0.05, beta1: 0.8, beta2: 0.9, tau: 1e-4 });
    const m = createStrategy({ name: 'fedavgm', momentum: 0.7, serverLr: 0.5, minResults: 3 }) as FedAvgM;
    expect([m.momentum, m.serverLr, m.minResults]).toEqual([0.7, 0.5, 3]);
    expect(createStrategy({ name: 'fedprox', proximalMu: 0.1 }).fitConfig(1)).toEqual({ proximalMu: 0.1 });
  });

  it('wraps in NormClipping when clip is given, and passes the evaluate hook', async () => {
    const s = createStrategy(
      { name: 'fedavg', clip: { maxNorm: 5 } },
      { evaluate: () => ({ loss: 1, metrics: {} }) },
    );
    expect(s).toBeInstanceOf(NormClipping);
    expect(s.name).toBe('clip(fedavg)');
    expect(s.clipNorm).toBe(5);
    expect(await s.evaluate!(1, new Float32Array(1))).toEqual({ loss: 1, metrics: {} });
  });

  it.each([
    [{ name: 'fedsgd' }, 'name', /unknown strategy "fedsgd"; allowed: fedavg, /],
    [{}, 'name', /unknown strategy/],
    [null, 'strategy', /must be an object/],
    [
      { name: 'fedadam', momentum: 0.9 },
      'momentum',
      /not an option of fedadam; allowed: .*beta1, beta2, tau/,
    ],
    [{ name: 'fedadagrad', beta2: 0.9 }, 'beta2', /not an option of fedadagrad/],
    [{ name: 'fedavg', serverLr: -1 }, 'serverLr', /> 0/],
    [{ name: 'fedavg', serverLr: '1' }, 'serverLr', /must be a number/],
    [{ name: 'fedavg', acceptFailures: 'yes' }, 'acceptFailures', /true or false/],
    [{ name: 'fedavgm', momentum: 1.5 }, 'momentum', /\[0, 1\)/],
    [{ name: 'fedyogi', tau: 0 }, 'tau', /> 0/],
    [{ name: 'fedprox' }, 'proximalMu', /required/],
    [{ name: 'fedprox', proximalMu: -1 }, 'proximalMu', /≥ 0/],
    [{ name: 'krum' }, 'byzantine', /required/],
    [{ name: 'krum', byzantine: 1.5 }, 'byzantine', /integer/],
    [{ name: 'trimmed-mean', beta: 0.6 }, 'beta', /\[0, 0.5\)/],
    [{ name: 'centered-clip' }, 'radius', /required/],
    [{ name: 'fedavg', fraction: 2 }, 'fraction', /\(0, 1\]/],
    [{ name: 'fedavg', fraction: 0.5, clientsPerRound: 3 }, 'clientsPerRound', /not both/],
    [{ name: 'fedavg', clip: { maxNorm: 1, scale: 2 } }, 'clip.scale', /allowed: maxNorm/],
    [{ name: 'fedavg', clip: {} }, 'clip', /exactly one/],
  ])('rejects %j naming %s', (config, field, message) => {
    const e = configError(config);
    expect(e.code).toBe('BAD_CONFIG');
    expect(e.field).toBe(field);
    expect(e.message).toMatch(message);
  });
});
