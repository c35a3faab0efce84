import { describe, expect, it } from '@jest/globals';
import { loadMnistSplits } from '../mnist/mnist-splits.js';
import { makeSyntheticDataset } from '../synthetic/synthetic-dataset.js';
import { DataError } from '../errors.js';
import { clientDatasets, partition } from './partition.js';
import type { PartitionOptions } from './partition-types.js';
import { expectExactCover, unevenLabels } from './__tests__/partition-fixtures.js';

type Spec = { kind: PartitionOptions['kind'] } & Record<string, unknown>;
const schemes: Spec[] = [
  { kind: 'iid' },
  { kind: 'dirichlet', alpha: 0.1 },
  { kind: 'dirichlet', alpha: 0.5, balance: false },
  { kind: 'shards', shardsPerClient: 2 },
  { kind: 'quantity' },
  { kind: 'quantity', sizes: { distribution: 'lognormal', sigma: 1.5 } },
];
const opts = (s: Spec, clients: number, seed: number) => ({ ...s, clients, seed }) as PartitionOptions;

describe('partition', () => {
  const mnistClients = loadMnistSplits().clients;

  describe.each(schemes)('%o', (scheme) => {
    it.each([1, 10, 50])('assigns every MNIST client digit exactly once with %i clients', (clients) => {
      const p = partition(mnistClients, opts(scheme, clients, 42));
      expect(p.kind).toBe(scheme.kind);
      expect(p.indices).toHaveLength(clients);
      expectExactCover(mnistClients, p);
    });

    it('covers small uneven data exactly', () => {
      const data = unevenLabels();
      expectExactCover(data, partition(data, opts(scheme, 7, 1)));
    });

    it('is reproducible: same seed, same partition; another seed, another partition', () => {
      const a = partition(mnistClients, opts(scheme, 20, 5));
      expect(partition(mnistClients, opts(scheme, 20, 5))).toEqual(a);
      expect(partition(mnistClients, opts(scheme, 20, 6)).indices).not.toEqual(a.indices);
    });
  });

  it('gives clear errors for bad options', () => {
    const data = unevenLabels();
    const bad = (o: unknown) => () => partition(data, o as PartitionOptions);
    expect(bad({ kind: 'zipf', clients: 2, seed: 0 })).toThrow(/unknown partition kind 'zipf'/);
    expect(bad({ kind: 'iid', clients: 0, seed: 0 })).toThrow(/clients must be a positive integer/);
    expect(bad({ kind: 'iid', clients: 2.5, seed: 0 })).toThrow(/clients must be a positive integer/);
    expect(bad({ kind: 'iid', clients: data.n + 1, seed: 0 })).toThrow(
      /cannot give 761 clients a sample each/,
    );
    expect(bad({ kind: 'iid', clients: 2, seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(bad({ kind: 'dirichlet', clients: 2, seed: 0, alpha: 0 })).toThrow(
      /alpha must be a finite number > 0/,
    );
    expect(bad({ kind: 'dirichlet', clients: 2, seed: 0, alpha: -1 })).toThrow(/alpha/);
    expect(bad({ kind: 'dirichlet', clients: 2, seed: 0 })).toThrow(/alpha/);
    expect(bad({ kind: 'dirichlet', clients: 10, seed: 0, alpha: 1, minSamples: 100 })).toThrow(
      /10 clients × minSamples 100 = 1000 exceeds the 760 samples/,
    );
    expect(bad({ kind: 'shards', clients: 400, seed: 0 })).toThrow(/800 shards exceed the 760 samples/);
    expect(bad({ kind: 'shards', clients: 4, seed: 0, shardsPerClient: 0 })).toThrow(/shardsPerClient/);
    expect(
      bad({ kind: 'quantity', clients: 4, seed: 0, sizes: { distribution: 'dirichlet', alpha: 0 } }),
    ).toThrow(/alpha/);
    expect(
      bad({ kind: 'quantity', clients: 4, seed: 0, sizes: { distribution: 'lognormal', sigma: -1 } }),
    ).toThrow(/sigma/);
    expect(bad({ kind: 'quantity', clients: 4, seed: 0, sizes: { distribution: 'pareto' } })).toThrow(
      /'dirichlet' or 'lognormal'/,
    );
    const codeOf = (o: unknown): string | undefined => {
      try {
        partition(data, o as PartitionOptions);
      } catch (e) {
        return e instanceof DataError ? e.code : 'not a DataError';
      }
      return undefined;
    };
    expect(codeOf({ kind: 'iid', clients: 1000, seed: 0 })).toBe('INFEASIBLE');
    expect(codeOf({ kind: 'dirichlet', clients: 2, seed: 0, alpha: 0 })).toBe('BAD_OPTION');
  });

  it('clientDatasets copies each client’s samples', () => {
    const d = makeSyntheticDataset({ n: 100, numClasses: 4, seed: 0 });
    const p = partition(d, { kind: 'iid', clients: 3, seed: 0 });
    const parts = clientDatasets(d, p);
    expect(parts.map((c) => c.n)).toEqual([34, 33, 33]);
    expect(parts[1]!.y[0]).toBe(d.y[p.indices[1]![0]!]);
  });
});
