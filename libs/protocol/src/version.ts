/**
 * The wire protocol version this build speaks. A client states it in `hello`; the server answers
 * with the same number in `welcome` or refuses the join with `BAD_VERSION`. Any change to an
 * event, a field, a bound that narrows, or the framing bumps it (docs/protocol.md, "Versions").
 *
 * Version 2: the `update` frame is a positional msgpack array with float32 loss, accuracy and
 * fractional timings (docs/protocol.md, "update"), instead of version 1's map.
 */
export const PROTOCOL_VERSION = 2;

/** The type of {@link PROTOCOL_VERSION}. */
export type ProtocolVersion = typeof PROTOCOL_VERSION;
