import { type EventName, isEventName } from './events.js';
import type { MessageOf, UpdateMessage } from './messages.js';
import { packUpdate } from './update-tuple.js';
import { packValue } from './wire/msgpack.js';

/**
 * Encodes the message of `event` as one binary frame, ready to be the single argument of a
 * Socket.IO emit: a msgpack map, except for `update`, which is a positional array (its
 * non-integers written as float32; see `packUpdate`). The message is trusted (it is typed; it is not validated): the receiver
 * validates. Tensor bytes are written as msgpack `bin`, without copying the tensor twice.
 * Throws a TypeError for an unknown event (a programming error).
 */
export function encodeMessage<E extends EventName>(event: E, msg: MessageOf<E>): Uint8Array {
  if (!isEventName(event)) throw new TypeError(`unknown protocol event "${String(event)}"`);
  if (event === 'update') return packUpdate(msg as UpdateMessage);
  return packValue(msg);
}
