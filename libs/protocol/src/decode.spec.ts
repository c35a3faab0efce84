import { describe, expect, it } from '@jest/globals';
import {
  MESSAGES,
  expectFailure,
  frameWith,
  frameWithout,
  unhex,
  updateFrameWith,
  updateFrameWithout,
  updateTuple,
} from './__tests__/fixtures.js';
import { decodeClientMessage, decodeMessage, decodeServerMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { CAPS, DEFAULT_LIMITS, frameLimit, resolveLimits } from './limits.js';
import { createRng } from '@fedzip/codec';
import { UPDATE_FIELDS } from './update-tuple.js';
import { packValue } from './wire/msgpack.js';

const updateFrame = () => encodeMessage('update', MESSAGES.update);
const helloFrame = () => encodeMessage('hello', MESSAGES.hello);

describe('decodeMessage: event names', () => {
  it.each([
    '',
    'nope',
    'Hello',
    'connect',
    'disconnect',
    '__proto__',
    'constructor',
    'toString',
    'x'.repeat(10_000),
  ])('refuses unknown event %j with BAD_EVENT', (event) => {
    const r = decodeMessage(event, helloFrame());
    expectFailure(r, 'BAD_EVENT');
    expect(r).toMatchObject({ event: null });
    if (!r.ok) expect(r.reason.length).toBeLessThanOrEqual(300);
  });

  it('refuses a non-string event name', () => {
    for (const event of [undefined, null, 42, {}, ['hello']]) {
      expectFailure(decodeMessage(event as unknown as string, helloFrame()), 'BAD_EVENT');
    }
  });

  it('decodeClientMessage accepts only client events, decodeServerMessage only server events', () => {
    const welcome = encodeMessage('welcome', MESSAGES.welcome);
    expect(decodeClientMessage('welcome', welcome)).toMatchObject({
      ok: false,
      code: 'BAD_EVENT',
      event: 'welcome',
    });
    expect(decodeServerMessage('hello', helloFrame())).toMatchObject({
      ok: false,
      code: 'BAD_EVENT',
      event: 'hello',
    });
    expect(decodeClientMessage('hello', helloFrame()).ok).toBe(true);
    expect(decodeServerMessage('welcome', welcome).ok).toBe(true);
  });
});

describe('decodeMessage: the frame', () => {
  it.each([
    ['a string', 'hello'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { roundId: 1 }],
    ['an array of numbers', [0x81, 0xa7]],
    ['a Float32Array', new Float32Array(4)],
    ['a DataView', new DataView(new ArrayBuffer(4))],
  ])('refuses %s with BAD_FRAME', (_what, frame) => {
    expectFailure(decodeMessage('update', frame), 'BAD_FRAME');
  });

  it('accepts a Uint8Array, a Node Buffer and an ArrayBuffer (what browsers receive)', () => {
    const frame = updateFrame();
    const copy = new Uint8Array(frame);
    expect(decodeMessage('update', frame).ok).toBe(true);
    expect(decodeMessage('update', Buffer.from(copy)).ok).toBe(true);
    expect(decodeMessage('update', copy.buffer).ok).toBe(true);
  });

  it('checks the size before decoding: an oversized frame of junk is TOO_LARGE, not BAD_MSGPACK', () => {
    const limits = resolveLimits({ maxControlFrameBytes: 100 });
    const junk = new Uint8Array(101).fill(0xc1);
    const reason = expectFailure(decodeMessage('ack', junk, limits), 'TOO_LARGE');
    expect(reason).toContain('101 bytes');
    expectFailure(decodeMessage('ack', junk.subarray(0, 100), limits), 'BAD_MSGPACK');
    const big = new Uint8Array(frameLimit('update') + 1);
    expectFailure(decodeMessage('update', big), 'TOO_LARGE');
  });

  it('refuses an empty frame', () => {
    expectFailure(decodeMessage('ack', new Uint8Array(0)), 'BAD_MSGPACK');
  });

  it('refuses every truncation of a valid frame with BAD_MSGPACK', () => {
    const frame = updateFrame();
    for (let n = 0; n < frame.length; n++) {
      expectFailure(decodeMessage('update', frame.subarray(0, n)), 'BAD_MSGPACK');
    }
  });

  it('refuses trailing bytes, quickly even after megabytes of binary', () => {
    const limits = resolveLimits({ maxUpdateBytes: 4 * 1024 * 1024 });
    const frame = encodeMessage('update', {
      ...MESSAGES.update,
      update: new Uint8Array(4 * 1024 * 1024) as typeof MESSAGES.update.update,
    });
    const padded = new Uint8Array(frame.length + 1);
    padded.set(frame);
    const t0 = performance.now();
    const reason = expectFailure(decodeMessage('update', padded, limits), 'BAD_MSGPACK');
    expect(performance.now() - t0).toBeLessThan(250);
    expect(reason).toBe('1 bytes follow the msgpack value');
  });

  it('refuses random bytes without throwing', () => {
    const rng = createRng(7);
    for (let i = 0; i < 500; i++) {
      const bytes = new Uint8Array(1 + (rng.nextUint32() % 200));
      for (let j = 0; j < bytes.length; j++) bytes[j] = rng.nextUint32() & 0xff;
      const r = decodeMessage('update', bytes);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['BAD_MSGPACK', 'BAD_SCHEMA']).toContain(r.code);
    }
  });

  it('refuses nesting deep enough to exhaust the stack, and keeps working after', () => {
    const limits = resolveLimits({ maxControlFrameBytes: 2_000_000 });
    const deep = new Uint8Array(1_000_000).fill(0x91); // [[[[…
    const reason = expectFailure(decodeMessage('hello', deep, limits), 'BAD_MSGPACK');
    expect(reason).toMatch(/too deep|malformed/);
    expect(decodeMessage('hello', helloFrame()).ok).toBe(true);
  });

  it('refuses deeply nested junk inside a field', () => {
    // {…hello, capabilities: [[[…[0]…]]]} 1000 levels deep (a few thousand more exhaust the
    // decoder's stack: BAD_MSGPACK above), written by hand: packing it would exhaust the encoder's.
    const frame = frameWith('hello', { capabilities: 0 });
    const key = new TextEncoder().encode('capabilities');
    const at = Buffer.from(frame).indexOf(Buffer.from(key)) + key.length;
    expect(frame[at]).toBe(0x00);
    const deep = Buffer.concat([frame.subarray(0, at), Buffer.alloc(1000, 0x91), frame.subarray(at)]);
    expect(deep.length).toBeLessThan(DEFAULT_LIMITS.maxControlFrameBytes);
    expectFailure(decodeMessage('hello', deep), 'BAD_SCHEMA');
    let nested: unknown = 1;
    for (let i = 0; i < 100; i++) nested = { a: [nested] };
    expectFailure(decodeMessage('update', updateFrameWith({ loss: nested })), 'BAD_SCHEMA');
  });
});

describe('decodeMessage: shape and types', () => {
  it.each([
    ['a number', 1],
    ['a string', 'update'],
    ['null', null],
    ['an array', [3, 2, 600]],
    ['an empty map', {}],
  ])('refuses %s where a map is expected', (_what, value) => {
    expectFailure(decodeMessage('eval-result', packValue(value)), 'BAD_SCHEMA');
  });

  it.each([
    ['a number', 1],
    ['a string', 'update'],
    ['null', null],
    ['an empty map', {}],
    ['an empty array', []],
    ['a short array', [3, 2, 600]],
    ['the array nested in another', [updateTuple()]],
  ])('refuses %s where the update array is expected', (_what, value) => {
    expectFailure(decodeMessage('update', packValue(value)), 'BAD_SCHEMA');
  });

  it("refuses version 1's update map, saying what version 2 expects", () => {
    const v1 = packValue(MESSAGES.update); // {roundId, baseVersion, sampleCount, metrics, update}
    const reason = expectFailure(decodeMessage('update', v1), 'BAD_SCHEMA');
    expect(reason).toContain('must be a msgpack array of exactly 8 elements [roundId, baseVersion,');
    expect(reason).toContain('version 1 sent a map');
  });

  it('refuses an update array one element short or long, or with the fields out of order', () => {
    const t = updateTuple();
    for (const bad of [t.slice(0, 7), [...t, 0], [...t, null], [...t, t[7]], [t[7], ...t.slice(0, 7)]]) {
      expectFailure(decodeMessage('update', packValue(bad)), 'BAD_SCHEMA');
    }
    const reason = expectFailure(decodeMessage('update', packValue([...t, 1])), 'BAD_SCHEMA');
    expect(reason).toContain('exactly 8 elements');
  });

  it("names an update element's field in the reason", () => {
    const reason = expectFailure(decodeMessage('update', updateFrameWith({ loss: -1 })), 'BAD_SCHEMA');
    expect(reason).toMatch(/^update\.3\(loss\): /);
  });

  it('refuses extra keys, naming them', () => {
    const reason = expectFailure(
      decodeMessage('eval-result', frameWith('eval-result', { clientId: 'someone-else' })),
      'BAD_SCHEMA',
    );
    expect(reason).toContain('clientId');
    expectFailure(
      decodeMessage(
        'hello',
        frameWith('hello', { capabilities: { ...MESSAGES.hello.capabilities, gpu: true } }),
      ),
      'BAD_SCHEMA',
    );
  });

  it('refuses a "__proto__" key (msgpackr renames it; the strict schema refuses the result)', () => {
    const frame = unhex('81 a9 5f5f70726f746f5f5f 81 a1 78 01'); // {"__proto__": {"x": 1}}
    expectFailure(decodeMessage('ack', frame), 'BAD_SCHEMA');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it.each(UPDATE_FIELDS)('refuses an update without "%s" (the array one short)', (field) => {
    expectFailure(decodeMessage('update', updateFrameWithout(field)), 'BAD_SCHEMA');
  });

  it.each(Object.keys(MESSAGES['eval-result']))('refuses an eval-result without "%s"', (key) => {
    expectFailure(decodeMessage('eval-result', frameWithout('eval-result', key)), 'BAD_SCHEMA');
  });

  it.each([
    ['roundId', -1],
    ['roundId', 1.5],
    ['roundId', NaN],
    ['roundId', Infinity],
    ['roundId', 2 ** 32],
    ['roundId', '3'],
    ['roundId', null],
    ['roundId', true],
    ['baseVersion', -0.5],
    ['sampleCount', 0],
    ['sampleCount', -600],
    ['sampleCount', 1e300],
    ['sampleCount', DEFAULT_LIMITS.maxSampleCount + 1],
    ['sampleCount', 2 ** 53 + 2],
  ] as const)('refuses update.%s = %p', (key, value) => {
    expectFailure(decodeMessage('update', updateFrameWith({ [key]: value })), 'BAD_SCHEMA');
  });

  it('honours a configured sample-count bound', () => {
    const limits = resolveLimits({ maxSampleCount: 500 });
    const reason = expectFailure(decodeMessage('update', updateFrame(), limits), 'BAD_SCHEMA');
    expect(reason).toContain('update.2(sampleCount)');
    expect(decodeMessage('update', updateFrameWith({ sampleCount: 500 }), limits).ok).toBe(true);
  });

  it('refuses a uint64 beyond 2^53 (not rounded into range)', () => {
    const frame = unhex('81 a7 726f756e644964 cf ffffffffffffffff');
    expectFailure(decodeMessage('ack', frame), 'BAD_SCHEMA');
  });

  it.each([
    ['loss', NaN],
    ['loss', -Infinity],
    ['loss', -1],
    ['accuracy', 1.5],
    ['accuracy', -0.1],
    ['loss', null],
    ['accuracy', '0.9'],
    ['trainMs', -1],
    ['trainMs', 1e20],
    ['encodeMs', 'fast'],
    ['encodeMs', -0.25],
  ] as const)('refuses update metric %s = %p', (key, value) => {
    expectFailure(decodeMessage('update', updateFrameWith({ [key]: value })), 'BAD_SCHEMA');
  });

  it('accepts loss and accuracy as float64 and whole-valued floats for integers (other writers)', () => {
    const r = decodeMessage(
      'update',
      updateFrameWith({ loss: 0.4321, accuracy: 0.1, trainMs: 1234.0, sampleCount: 600.0 }),
    );
    expect(r).toMatchObject({
      ok: true,
      msg: { sampleCount: 600, metrics: { loss: 0.4321, accuracy: 0.1 } },
    });
  });

  it('refuses binary sent any other way: an array of numbers, a string, a float array extension', () => {
    const bytes = Array.from(MESSAGES.update.update);
    const reason = expectFailure(decodeMessage('update', updateFrameWith({ update: bytes })), 'BAD_SCHEMA');
    expect(reason).toContain('update.7(update): expected binary');
    expectFailure(decodeMessage('update', updateFrameWith({ update: 'RlpBAA==' })), 'BAD_SCHEMA');
    // msgpackr's typed-array extension (ext type 0x74, Float32Array tag 0x07…) as the last element:
    // never written here. The tuple is packed with nil there (0xc0, its last byte), then swapped.
    const withNil = updateFrameWith({ update: null });
    expect(withNil[withNil.length - 1]).toBe(0xc0);
    const ext = Buffer.concat([withNil.subarray(0, -1), unhex('c7 05 74 07 00000000')]);
    expectFailure(decodeMessage('update', ext), 'BAD_SCHEMA');
  });

  it('refuses msgpack extensions and the never-used byte where values are expected', () => {
    expectFailure(decodeMessage('ack', unhex('81 a7 726f756e644964 c1')), 'BAD_SCHEMA'); // 0xc1
    expectFailure(decodeMessage('ack', unhex('81 a7 726f756e644964 d6ff 00000001')), 'BAD_SCHEMA'); // timestamp
    expectFailure(decodeMessage('ack', unhex('81 a7 726f756e644964 d400 00')), 'BAD_SCHEMA'); // undefined
  });

  it('reports an oversized binary field as TOO_LARGE', () => {
    const limits = resolveLimits({ maxUpdateBytes: 16 });
    const update = new Uint8Array(17);
    const reason = expectFailure(decodeMessage('update', updateFrameWith({ update }), limits), 'TOO_LARGE');
    expect(reason).toContain('17 bytes exceed the limit of 16');
    expect(decodeMessage('update', updateFrameWith({ update: update.subarray(1) }), limits).ok).toBe(true);
  });

  it('reports a layout over the parameter limit as TOO_LARGE', () => {
    const layout = [{ name: 'huge', shape: [65536, 65536, 65536] }];
    expectFailure(decodeMessage('model', frameWith('model', { layout })), 'TOO_LARGE');
  });

  it.each([
    ['clientId', 'x'.repeat(CAPS.idChars + 1)],
    ['clientId', ''],
    ['clientId', 'client\n7'],
    ['clientId', '../etc'],
    ['token', 't'.repeat(CAPS.tokenChars + 1)],
    ['token', 'has space'],
  ])('refuses hello.%s = %j', (key, value) => {
    expectFailure(decodeMessage('hello', frameWith('hello', { [key]: value })), 'BAD_SCHEMA');
  });

  it('refuses over-long and malformed capability lists', () => {
    const caps = MESSAGES.hello.capabilities;
    const tooMany = Array.from({ length: CAPS.listItems + 1 }, (_, i) => `b${i}`);
    for (const capabilities of [
      { ...caps, backends: tooMany },
      { ...caps, codecs: ['x'.repeat(CAPS.nameChars + 1)] },
      { ...caps, codecs: [''] },
      { ...caps, runtime: 'deno' },
      { ...caps, maxMessageBytes: 0 },
    ]) {
      expectFailure(decodeMessage('hello', frameWith('hello', { capabilities })), 'BAD_SCHEMA');
    }
  });

  it('refuses over-long messages and unknown codes in reject and error', () => {
    const long = 'm'.repeat(CAPS.messageChars + 1);
    expectFailure(decodeMessage('reject', frameWith('reject', { message: long })), 'BAD_SCHEMA');
    expectFailure(decodeMessage('reject', frameWith('reject', { code: 'BAD_MOOD' })), 'BAD_SCHEMA');
    expectFailure(decodeMessage('error', frameWith('error', { code: 'LATE' })), 'BAD_SCHEMA');
    expectFailure(decodeMessage('error', frameWith('error', { event: 'nope' })), 'BAD_SCHEMA');
    expect(decodeMessage('error', frameWith('error', { event: null })).ok).toBe(true);
  });

  it('refuses an assignment with a bad codec spec or hyperparameters', () => {
    for (const patch of [
      { codec: 'zip:9' },
      { codec: '' },
      { codec: 'topk:0.01+q8+f16' },
      { lr: 0 },
      { lr: Infinity },
      { localEpochs: 0 },
      { batchSize: 1e6 },
      { optimizer: 'lion' },
      { proxMu: -1 },
      { seed: -1 },
      { deadline: -5 },
      { errorFeedback: 1 },
    ]) {
      expectFailure(decodeMessage('assign', frameWith('assign', patch)), 'BAD_SCHEMA');
    }
    expect(decodeMessage('assign', frameWith('assign', { codec: 'none' })).ok).toBe(true);
  });

  it('limits its reason to a few issues, without control characters', () => {
    const junk = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k\u0000${i}\n`, i]));
    const r = decodeMessage('eval-result', packValue(junk));
    const reason = expectFailure(r, 'BAD_SCHEMA');
    expect(reason.length).toBeLessThanOrEqual(300);
    // eslint-disable-next-line no-control-regex
    expect(reason).not.toMatch(/[\x00-\x1f]/);
  });
});

describe('decodeMessage: protocol version', () => {
  it('refuses another version in hello with BAD_VERSION, whatever else the message holds', () => {
    expectFailure(decodeMessage('hello', frameWith('hello', { protocolVersion: 3 })), 'BAD_VERSION');
    expectFailure(decodeMessage('hello', frameWith('hello', { protocolVersion: 0 })), 'BAD_VERSION');
    // A future client whose hello has other fields still learns that the version is the problem.
    const reason = expectFailure(
      decodeMessage('hello', packValue({ protocolVersion: 3, session: 'resume', features: {} })),
      'BAD_VERSION',
    );
    expect(reason).toContain('speaks 2 only, so this side must be upgraded');
  });

  it('tells a version-1 client (map updates) that it is the side to upgrade', () => {
    const reason = expectFailure(
      decodeMessage('hello', frameWith('hello', { protocolVersion: 1 })),
      'BAD_VERSION',
    );
    expect(reason).toBe(
      'protocol version 1 is not supported; this side speaks 2 only, so the version-1 side must be ' +
        'upgraded (docs/protocol.md, "Versions")',
    );
  });

  it('refuses another version in welcome with BAD_VERSION (the client side)', () => {
    expectFailure(
      decodeServerMessage('welcome', frameWith('welcome', { protocolVersion: 3 })),
      'BAD_VERSION',
    );
  });

  it('treats a missing or non-numeric version as a schema error', () => {
    expectFailure(decodeMessage('hello', frameWithout('hello', 'protocolVersion')), 'BAD_SCHEMA');
    expectFailure(decodeMessage('hello', frameWith('hello', { protocolVersion: '2' })), 'BAD_SCHEMA');
  });
});

describe('decodeMessage: binary fields outlive the frame', () => {
  it('copies binary out of the frame view (msgpackr decodes binary as views into its input)', () => {
    const frame = updateFrame();
    // A frame inside a larger buffer at an odd offset, as a pooled Node Buffer would be.
    const pool = new Uint8Array(frame.length + 13);
    pool.set(frame, 7);
    const view = pool.subarray(7, 7 + frame.length);
    const r = decodeMessage('update', view);
    if (!r.ok) throw new Error(r.reason);
    const got = r.msg.update;
    expect(got).toEqual(new Uint8Array(MESSAGES.update.update));
    expect(got.buffer).not.toBe(pool.buffer);
    expect(got.byteOffset).toBe(0);
    expect(got.buffer.byteLength).toBe(got.byteLength);
    pool.fill(0); // the transport reuses its buffer
    expect(got).toEqual(new Uint8Array(MESSAGES.update.update));
  });

  it('gives model weights an aligned buffer of their own', () => {
    const weights = new Uint8Array(new Float32Array([1, -2, 3.5]).buffer) as typeof MESSAGES.model.weights;
    const frame = frameWith('model', { weights });
    const r = decodeMessage('model', Buffer.concat([Buffer.alloc(3), Buffer.from(frame)]).subarray(3));
    if (!r.ok) throw new Error(r.reason);
    expect(Array.from(new Float32Array(r.msg.weights.buffer))).toEqual([1, -2, 3.5]);
  });

  it('freezes decoded lists', () => {
    const r = decodeMessage('model', encodeMessage('model', MESSAGES.model));
    if (!r.ok) throw new Error(r.reason);
    expect(Object.isFrozen(r.msg.layout)).toBe(true);
  });
});
