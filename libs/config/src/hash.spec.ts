import { describe, expect, it } from '@jest/globals';
import { artifactKeys, canonicalJson, configHash, defaultExperiment, parseExperiment } from './index.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('refuses values JSON cannot hold exactly', () => {
    expect(() => canonicalJson({ a: NaN })).toThrow('a is not finite');
    expect(() => canonicalJson({ a: { b: new Float32Array(2) } })).toThrow('a.b is not a plain object');
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });
});

describe('configHash', () => {
  it('is a SHA-256 in hex, stable across key order', () => {
    const h = configHash({ kind: 'cnn', filters: [32, 64], dense: 512 });
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(configHash({ dense: 512, filters: [32, 64], kind: 'cnn' })).toBe(h);
    // A known value: sha256('{"a":1}').
    expect(configHash({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });

  it('changes when any value changes, including list order', () => {
    const h = configHash({ kind: 'cnn', filters: [32, 64], dense: 512 });
    expect(configHash({ kind: 'cnn', filters: [32, 64], dense: 256 })).not.toBe(h);
    expect(configHash({ kind: 'cnn', filters: [64, 32], dense: 512 })).not.toBe(h);
    expect(configHash({ kind: 'cnn', filters: [32, 64], dense: '512' })).not.toBe(h);
  });

  it('hashes a spelled-out default like a left-out one, once parsed', () => {
    const a = parseExperiment({ model: { student: { kind: 'mlp' } } });
    const b = parseExperiment({ model: { student: { hidden: [128], kind: 'mlp' } } });
    expect(configHash(a.model.student)).toBe(configHash(b.model.student));
    expect(configHash(a)).toBe(configHash(b));
  });
});

describe('artifactKeys', () => {
  const base = defaultExperiment();
  const keys = artifactKeys(base);

  it('ignores what does not change the teacher or student', () => {
    const other = parseExperiment({
      rounds: 3,
      clients: { count: 5, perRound: 2 },
      data: { partition: 'iid' },
    });
    expect(artifactKeys(other)).toEqual(keys);
  });

  it('follows the student, the distillation and the teacher', () => {
    const student = artifactKeys(parseExperiment({ model: { student: '2nn' } }));
    expect(student.teacher).toBe(keys.teacher);
    expect(student.student).not.toBe(keys.student);

    const teacher = artifactKeys(parseExperiment({ model: { teacher: { training: { epochs: 7 } } } }));
    expect(teacher.teacher).not.toBe(keys.teacher);
    expect(teacher.student).not.toBe(keys.student);

    const seed = artifactKeys(parseExperiment({ seed: 1 }));
    expect(seed.teacher).not.toBe(keys.teacher);
  });
});
