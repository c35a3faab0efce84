/**
 * Property tests: decodeMessage never throws and never returns anything but a well-formed
 * result, whatever the event name and frame. Bounded runs with fixed seeds (reproducible).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MESSAGES, updateTuple } from './__tests__/fixtures.js';
import { DecodeErrorCode } from './codes.js';
import { type DecodeResult, decodeClientMessage, decodeMessage, decodeServerMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { CLIENT_EVENTS, type EventName, SERVER_EVENTS } from './events.js';
import { packValue } from './wire/msgpack.js';

const EVENTS: readonly EventName[] = [...CLIENT_EVENTS, ...SERVER_EVENTS];
const CODES = new Set<string>(Object.values(DecodeErrorCode));
const RUNS = { numRuns: 1500, seed: 4242 };

function wellFormed(r: DecodeResult): boolean {
  if (r.ok) return typeof r.msg === 'object' && r.msg !== null;
  return CODES.has(r.code) && typeof r.reason === 'string' && r.reason.length <= 300;
}

const event = fc.oneof(fc.constantFrom(...EVENTS), fc.string({ maxLength: 20 }));
const valid = fc.constantFrom(...EVENTS).map((e) => ({ event: e, frame: encodeMessage(e, MESSAGES[e]) }));

describe('decodeMessage never throws', () => {
  it('on random bytes under any event name', () => {
    fc.assert(
      fc.property(event, fc.uint8Array({ maxLength: 512 }), (e, bytes) => {
        expect(wellFormed(decodeMessage(e, bytes))).toBe(true);
      }),
      RUNS,
    );
  });

  it('on valid frames with bytes flipped, cut, or appended', () => {
    const mutation = fc.record({
      at: fc.nat(),
      byte: fc.integer({ min: 0, max: 255 }),
      cut: fc.nat(),
      tail: fc.uint8Array({ maxLength: 8 }),
      how: fc.constantFrom('flip', 'cut', 'append', 'all'),
    });
    fc.assert(
      fc.property(valid, mutation, ({ event: e, frame }, m) => {
        let bytes = new Uint8Array(frame);
        if (m.how === 'flip' || m.how === 'all') bytes[m.at % bytes.length] = m.byte;
        if (m.how === 'cut' || m.how === 'all') bytes = bytes.subarray(0, m.cut % (bytes.length + 1));
        if (m.how === 'append' || m.how === 'all') bytes = Uint8Array.from([...bytes, ...m.tail]);
        for (const r of [
          decodeMessage(e, bytes),
          decodeClientMessage(e, bytes),
          decodeServerMessage(e, bytes),
        ]) {
          expect(wellFormed(r)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('on valid msgpack of any shape', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENTS),
        fc.anything({ maxDepth: 4, withTypedArray: true }),
        (e, value) => {
          let frame: Uint8Array;
          try {
            frame = packValue(value);
          } catch {
            return; // not packable (msgpackr refuses some values): nothing to send
          }
          const r = decodeMessage(e, frame);
          expect(wellFormed(r)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('on valid messages with one field replaced by anything', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENTS),
        fc.nat(),
        fc.anything({ maxDepth: 2, withTypedArray: true }),
        (e, pick, value) => {
          let wire: unknown;
          if (e === 'update') {
            // The update travels as an array: replace one of its elements.
            const t = updateTuple();
            t[pick % t.length] = value;
            wire = t;
          } else {
            const msg: Record<string, unknown> = { ...(MESSAGES[e] as object) };
            const keys = Object.keys(msg);
            msg[keys[pick % keys.length]!] = value;
            wire = msg;
          }
          let frame: Uint8Array;
          try {
            frame = packValue(wire);
          } catch {
            return;
          }
          expect(wellFormed(decodeMessage(e, frame))).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('on update arrays with elements dropped, added, duplicated or moved', () => {
    const edit = fc.record({
      at: fc.nat(),
      to: fc.nat(),
      value: fc.anything({ maxDepth: 1, withTypedArray: true }),
      how: fc.constantFrom('drop', 'add', 'duplicate', 'move', 'wrap'),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let t: unknown[] = updateTuple();
        for (const m of edits) {
          const i = m.at % (t.length + 1);
          if (m.how === 'drop') t.splice(i, 1);
          else if (m.how === 'add') t.splice(i, 0, m.value);
          else if (m.how === 'duplicate') t.splice(i, 0, t[m.to % Math.max(1, t.length)]);
          else if (m.how === 'move') t.splice(m.to % (t.length + 1), 0, ...t.splice(i, 1));
          else t = [t];
        }
        let frame: Uint8Array;
        try {
          frame = packValue(t);
        } catch {
          return;
        }
        const r = decodeMessage('update', frame);
        expect(wellFormed(r)).toBe(true);
        // Whatever the edits, an accepted update is exactly 8 fields of the right types.
        if (r.ok) expect(r.msg.update).toBeInstanceOf(Uint8Array);
      }),
      RUNS,
    );
  });

  it('on arguments that are not bytes at all', () => {
    fc.assert(
      fc.property(event, fc.anything({ maxDepth: 2 }), (e, frame) => {
        expect(wellFormed(decodeMessage(e, frame))).toBe(true);
      }),
      { numRuns: 500, seed: 4242 },
    );
  });
});
