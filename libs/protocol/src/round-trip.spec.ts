import { asEncoded, decode } from '@fedzip/codec';
import { describe, expect, it } from '@jest/globals';
import { MESSAGES, MODEL_PARAMS, MODEL_TENSOR, UPDATE_TENSOR } from './__tests__/fixtures.js';
import { decodeClientMessage, decodeMessage, decodeServerMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { CLIENT_EVENTS, type EventName, SERVER_EVENTS } from './events.js';

const ALL: readonly EventName[] = [...CLIENT_EVENTS, ...SERVER_EVENTS];

describe('encodeMessage → decodeMessage', () => {
  it.each(ALL)('round-trips "%s"', (event) => {
    const frame = encodeMessage(event, MESSAGES[event]);
    expect(frame).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(frame)).toBe(false);
    const r = decodeMessage(event, frame);
    expect(r).toEqual({ ok: true, event, msg: MESSAGES[event] });
  });

  it('routes client events through decodeClientMessage and server events through decodeServerMessage', () => {
    for (const event of CLIENT_EVENTS) {
      expect(decodeClientMessage(event, encodeMessage(event, MESSAGES[event])).ok).toBe(true);
    }
    for (const event of SERVER_EVENTS) {
      expect(decodeServerMessage(event, encodeMessage(event, MESSAGES[event])).ok).toBe(true);
    }
  });

  it('narrows the message by event', () => {
    const r = decodeMessage('assign', encodeMessage('assign', MESSAGES.assign));
    if (!r.ok) throw new Error(r.reason);
    // Type-level: r.msg is the assignment.
    const spec: string = r.msg.codec;
    expect(spec).toBe('topk:0.01+q8');
  });

  it('keeps the encoded tensors decodable by the codec on the other side', () => {
    const up = decodeMessage('update', encodeMessage('update', MESSAGES.update));
    const model = decodeMessage('model', encodeMessage('model', MESSAGES.model));
    if (!up.ok || !model.ok) throw new Error('decode failed');
    // The coordinator's next step: brand the bytes only once they parse to the model's length.
    const update = asEncoded(up.msg.update, { expectedLength: MODEL_PARAMS });
    expect(decode(update)).toEqual(decode(UPDATE_TENSOR));
    expect(decode(asEncoded(model.msg.weights, { expectedLength: MODEL_PARAMS }))).toEqual(
      decode(MODEL_TENSOR),
    );
  });

  it('sends an update as an array with float32 loss, accuracy and fractional timings', () => {
    const sent = {
      ...MESSAGES.update,
      metrics: { loss: 0.4321, accuracy: 0.9, trainMs: 1234.5, encodeMs: 0.4 },
    };
    const frame = encodeMessage('update', sent);
    expect(frame[0]).toBe(0x98); // fixarray of 8
    const r = decodeMessage('update', frame);
    expect(r).toEqual({
      ok: true,
      event: 'update',
      msg: {
        ...sent,
        metrics: {
          loss: Math.fround(0.4321),
          accuracy: Math.fround(0.9),
          trainMs: 1234.5,
          encodeMs: Math.fround(0.4),
        },
        update: new Uint8Array(UPDATE_TENSOR),
      },
    });
    // Nothing but loss and accuracy is narrowed: ids and counts stay exact integers.
    const big = { ...sent, roundId: 0xffffffff, baseVersion: 2 ** 31 + 1, sampleCount: 999_999 };
    expect(decodeMessage('update', encodeMessage('update', big))).toMatchObject({
      ok: true,
      msg: { roundId: 0xffffffff, baseVersion: 2 ** 31 + 1, sampleCount: 999_999 },
    });
  });

  it('keeps a loss of 2^32 or more as float64 rather than lose its magnitude', () => {
    const sent = { ...MESSAGES.update, metrics: { ...MESSAGES.update.metrics, loss: 5e9 + 0.5 } };
    const r = decodeMessage('update', encodeMessage('update', sent));
    expect(r).toMatchObject({ ok: true, msg: { metrics: { loss: 5e9 + 0.5 } } });
  });

  it('leaves out undefined properties instead of writing a non-standard extension', () => {
    const withUndefined = { ...MESSAGES.ack, extra: undefined } as unknown as typeof MESSAGES.ack;
    expect(encodeMessage('ack', withUndefined)).toEqual(encodeMessage('ack', MESSAGES.ack));
  });

  it('refuses to encode an unknown event', () => {
    expect(() => encodeMessage('nope' as EventName, MESSAGES.ack)).toThrow(TypeError);
  });
});
