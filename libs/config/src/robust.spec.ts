import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseExperiment, safeParseExperiment } from './index.js';

/** The ConfigError lines of a rejected input. */
function problems(input: unknown): string[] {
  const r = safeParseExperiment(input);
  if (r.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  expect(r.error).toBeInstanceOf(ConfigError);
  return r.error.message.split('\n');
}

describe('robust strategies (issue 7)', () => {
  it('fill their defaults, by name alone too', () => {
    expect(parseExperiment({ strategy: 'median' }).strategy).toEqual({ name: 'median', serverLr: 1 });
    expect(parseExperiment({ strategy: 'trimmed-mean' }).strategy).toEqual({
      name: 'trimmed-mean',
      serverLr: 1,
      beta: 0.2,
    });
    expect(parseExperiment({ strategy: 'krum' }).strategy).toEqual({
      name: 'krum',
      serverLr: 1,
      byzantine: 2,
      multi: 1,
    });
    expect(parseExperiment({ strategy: 'centered-clip' }).strategy).toEqual({
      name: 'centered-clip',
      serverLr: 1,
      radius: 0.1,
      iterations: 1,
    });
    expect(parseExperiment({ strategy: 'norm-clip' }).strategy).toEqual({
      name: 'norm-clip',
      serverLr: 1,
      medianMultiple: 1,
      action: 'clip',
    });
  });

  it('take their options', () => {
    expect(parseExperiment({ strategy: { name: 'krum', byzantine: 3, multi: 5 } }).strategy).toMatchObject({
      byzantine: 3,
      multi: 5,
    });
    expect(parseExperiment({ strategy: { name: 'norm-clip', maxNorm: 0.5 } }).strategy).toEqual({
      name: 'norm-clip',
      serverLr: 1,
      maxNorm: 0.5,
      action: 'clip',
    });
    expect(
      parseExperiment({ strategy: { name: 'norm-clip', medianMultiple: 2, action: 'reject' } }).strategy,
    ).toMatchObject({ medianMultiple: 2, action: 'reject' });
  });

  it('refuse values out of range and options of other variants', () => {
    expect(problems({ strategy: { name: 'trimmed-mean', beta: 0.5 } })).toEqual([
      'strategy.beta: 0.5 is out of range (allowed: a number in [0, 0.5))',
    ]);
    expect(problems({ strategy: { name: 'median', beta: 0.1 } })[0]).toMatch(
      /^strategy\.beta: unknown key.*\(allowed: name, serverLr\)$/,
    );
    expect(problems({ strategy: { name: 'krum', multi: 0 } })[0]).toMatch(
      /^strategy\.multi: 0 is out of range/,
    );
    expect(problems({ strategy: { name: 'centered-clip', radius: 0 } })[0]).toMatch(/^strategy\.radius: /);
    expect(problems({ strategy: { name: 'norm-clip', maxNorm: 1, medianMultiple: 2 } })).toEqual([
      'strategy.medianMultiple: give strategy.maxNorm or strategy.medianMultiple, not both',
    ]);
    expect(problems({ strategy: { name: 'norm-clip', maxNorm: 1, action: 'reject' } })).toEqual([
      'strategy.action: only applies with strategy.medianMultiple (a fixed maxNorm always clips)',
    ]);
  });

  it('check that a round can hold Krum’s 2f + 3 updates', () => {
    expect(problems({ strategy: { name: 'krum', byzantine: 4 } })).toEqual([
      'strategy.byzantine: krum with byzantine 4 needs at least 2f + 3 = 11 updates per round, but a round has 10 clients (clients.perRound or clients.fraction)',
    ]);
    expect(
      parseExperiment({ strategy: { name: 'krum', byzantine: 4 }, clients: { perRound: 11 } }).strategy,
    ).toMatchObject({
      byzantine: 4,
    });
  });
});

describe('attack (simulated Byzantine clients)', () => {
  it('is absent by default, so that honest configs and their hashes do not change', () => {
    expect(parseExperiment({}).attack).toBeUndefined();
  });

  it('fills the defaults of each kind', () => {
    expect(parseExperiment({ attack: 'sign-flip' }).attack).toEqual({
      kind: 'sign-flip',
      fraction: 0.2,
      scale: 10,
    });
    expect(parseExperiment({ attack: 'gaussian' }).attack).toEqual({
      kind: 'gaussian',
      fraction: 0.2,
      sigma: 1,
    });
    expect(parseExperiment({ attack: 'constant' }).attack).toEqual({
      kind: 'constant',
      fraction: 0.2,
      value: 10,
    });
    expect(parseExperiment({ attack: { kind: 'label-flip', fraction: 0.5, seed: 3 } }).attack).toEqual({
      kind: 'label-flip',
      fraction: 0.5,
      seed: 3,
    });
  });

  it('refuses unknown kinds, fractions outside [0, 1] and options of other kinds', () => {
    expect(problems({ attack: 'backdoor' })[0]).toMatch(
      /^attack\.kind: "backdoor" is not allowed \(allowed: sign-flip, gaussian, constant, label-flip\)/,
    );
    expect(problems({ attack: { kind: 'gaussian', fraction: 1.5 } })[0]).toMatch(
      /^attack\.fraction: 1\.5 is out of range/,
    );
    expect(problems({ attack: { kind: 'sign-flip', sigma: 1 } })[0]).toMatch(/^attack\.sigma: unknown key/);
  });
});
