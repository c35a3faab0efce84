import { describe, expect, it } from '@jest/globals';
import { parseExperiment, safeParseExperiment } from './index.js';

const lines = (input: unknown): string[] => {
  const r = safeParseExperiment(input);
  if (r.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return r.error.message.split('\n');
};

describe('the privacy section', () => {
  it('is off by default, with DP-FedAvg defaults filled in', () => {
    expect(parseExperiment({}).privacy).toEqual({
      enabled: false,
      mode: 'central',
      clipNorm: 1,
      noiseMultiplier: 1,
      delta: 1e-5,
    });
  });

  it('takes a full section, local mode and a noise seed', () => {
    const p = parseExperiment({
      privacy: { enabled: true, mode: 'local', clipNorm: 0.5, noiseMultiplier: 0, delta: 1e-6, noiseSeed: 7 },
    }).privacy;
    expect(p).toEqual({
      enabled: true,
      mode: 'local',
      clipNorm: 0.5,
      noiseMultiplier: 0,
      delta: 1e-6,
      noiseSeed: 7,
    });
  });

  it('rejects out-of-range values and unknown keys with the key named', () => {
    expect(lines({ privacy: { clipNorm: 0 } }).join('\n')).toMatch(/privacy\.clipNorm/);
    expect(lines({ privacy: { noiseMultiplier: -1 } }).join('\n')).toMatch(/privacy\.noiseMultiplier/);
    expect(lines({ privacy: { delta: 1 } }).join('\n')).toMatch(/privacy\.delta/);
    expect(lines({ privacy: { mode: 'global' } }).join('\n')).toMatch(/privacy\.mode/);
    expect(lines({ privacy: { sigma: 1 } }).join('\n')).toMatch(/sigma/);
  });
});
