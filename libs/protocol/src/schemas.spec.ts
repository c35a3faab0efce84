import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import { MESSAGES } from './__tests__/fixtures.js';
import type { ClientEventName, EventName, ServerEventName } from './events.js';
import { DEFAULT_LIMITS, resolveLimits } from './limits.js';
import type { ClientMessages, ReceivedOf, ServerMessages } from './messages.js';
import { type MessageSchemas, messageSchemas } from './schemas.js';
import { toUpdateTuple } from './update-tuple.js';

// Type-level tests: each schema's output is exactly the documented received message type
// (mutual assignability; readonly modifiers aside), and the event maps cover exactly the names.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SchemaMatches = { [E in EventName]: Same<z.output<MessageSchemas[E]>, ReceivedOf<E>> };
const schemasMatchTypes: SchemaMatches = {
  hello: true,
  update: true,
  'eval-result': true,
  welcome: true,
  model: true,
  assign: true,
  ack: true,
  reject: true,
  'eval-request': true,
  error: true,
};
const clientMapCovers: Same<keyof ClientMessages, ClientEventName> = true;
const serverMapCovers: Same<keyof ServerMessages, ServerEventName> = true;
const schemaKeysCover: Same<keyof MessageSchemas, EventName> = true;

describe('messageSchemas', () => {
  it('has the types the documentation states', () => {
    expect(Object.values(schemasMatchTypes).every(Boolean)).toBe(true);
    expect([clientMapCovers, serverMapCovers, schemaKeysCover]).toEqual([true, true, true]);
  });

  it('is cached per distinct limits', () => {
    expect(messageSchemas(DEFAULT_LIMITS)).toBe(messageSchemas({ ...DEFAULT_LIMITS }));
    expect(messageSchemas(resolveLimits({ maxSampleCount: 10 }))).not.toBe(messageSchemas(DEFAULT_LIMITS));
  });

  it('refuses invalid limits as configuration errors', () => {
    expect(() => messageSchemas({ ...DEFAULT_LIMITS, maxUpdateBytes: -1 })).toThrow(RangeError);
  });

  it("accepts every fixture's wire value, and yields the fixture", () => {
    const schemas = messageSchemas(DEFAULT_LIMITS);
    for (const [event, msg] of Object.entries(MESSAGES)) {
      const wire = event === 'update' ? toUpdateTuple(MESSAGES.update) : msg;
      const r = schemas[event as EventName].safeParse(wire);
      expect(r.success).toBe(true);
      expect(r.data).toEqual(msg);
    }
  });

  it("refuses the update message object itself: the update's wire value is its array", () => {
    expect(messageSchemas(DEFAULT_LIMITS).update.safeParse(MESSAGES.update).success).toBe(false);
  });
});
