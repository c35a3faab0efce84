import { type EventName, isEventName } from './events.js';
import type { MessageOf } from './messages.js';
import { packValue } from './wire/msgpack.js';

/**
 * Encodes the message of `event` as one binary frame (a msgpack map), ready to be the single
 * argument of a Socket.IO emit. The message is trusted (it is typed; it is not validated): the
 * receiver validates. Tensor bytes are written as msgpack `bin`, without copying the tensor twice.
 * Throws a TypeError for an unknown event (a programming error).
 */
export function encodeMessage<E extends EventName>(event: E, msg: MessageOf<E>): Uint8Array {
  if (!isEventName(event)) throw new TypeError(`unknown protocol event "${String(event)}"`);
  return packValue(msg);
}
