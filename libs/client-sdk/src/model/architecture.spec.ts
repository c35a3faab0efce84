import { describe, expect, it } from '@jest/globals';
import { ClientError } from '../errors.js';
import { canonicalJson, checkDataFits, parseArchitecture } from './architecture.js';

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof ClientError ? `${e.code}${e.fatal ? ' fatal' : ''}` : `other: ${String(e)}`;
  }
  return 'none';
}

describe('parseArchitecture', () => {
  it("reads the coordinator's form", () => {
    const a = parseArchitecture('{"model":{"kind":"mlp","hidden":[16]},"inputShape":[784],"numClasses":10}');
    expect(a.model).toEqual({ kind: 'mlp', hidden: [16] });
    expect(a.input).toEqual({ shape: [784], numClasses: 10 });
  });

  it("reads docs/protocol.md's flat form to the same canonical text", () => {
    const flat = parseArchitecture('{"kind":"mlp","hidden":[16],"inputShape":[784],"classes":10}');
    const nested = parseArchitecture(
      '{"numClasses":10,"inputShape":[784],"model":{"hidden":[16],"kind":"mlp"}}',
    );
    expect(flat.model).toEqual({ kind: 'mlp', hidden: [16] });
    expect(flat.canonical).toBe(nested.canonical);
  });

  it.each([
    ['not json', '{'],
    ['not an object', '[1]'],
    ['unknown kind', '{"model":{"kind":"rnn"},"inputShape":[4],"numClasses":2}'],
    ['bad shape', '{"model":{"kind":"mlp"},"inputShape":[0],"numClasses":2}'],
    ['no classes', '{"model":{"kind":"mlp"},"inputShape":[4]}'],
  ])('refuses %s as a fatal BAD_ARCHITECTURE', (_what, text) => {
    expect(codeOf(() => parseArchitecture(text))).toBe('BAD_ARCHITECTURE fatal');
  });
});

describe('checkDataFits', () => {
  const arch = parseArchitecture('{"model":{"kind":"cnn"},"inputShape":[28,28,1],"numClasses":10}');
  const data = (shape: number[], numClasses: number) => ({
    x: new Float32Array(shape.reduce((a, b) => a * b, 1)),
    y: [0],
    n: 1,
    shape,
    numClasses,
  });

  it('accepts the same values per sample in another shape', () => {
    expect(codeOf(() => checkDataFits(arch, data([784], 10)))).toBe('none');
  });

  it('refuses other sample sizes or class counts', () => {
    expect(codeOf(() => checkDataFits(arch, data([20], 10)))).toBe('DATA_MISMATCH fatal');
    expect(codeOf(() => checkDataFits(arch, data([784], 3)))).toBe('DATA_MISMATCH fatal');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});
