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

  it('leaves out undefined properties instead of writing a non-standard extension', () => {
    const withUndefined = { ...MESSAGES.ack, extra: undefined } as unknown as typeof MESSAGES.ack;
    expect(encodeMessage('ack', withUndefined)).toEqual(encodeMessage('ack', MESSAGES.ack));
  });

  it('refuses to encode an unknown event', () => {
    expect(() => encodeMessage('nope' as EventName, MESSAGES.ack)).toThrow(TypeError);
  });
});
