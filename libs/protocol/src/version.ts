/**
 * The wire protocol version this build speaks. A client states it in `hello`; the server answers
 * with the same number in `welcome` or refuses the join with `BAD_VERSION`. Any change to an
 * event, a field, a bound that narrows, or the framing bumps it (docs/protocol.md, "Versions").
 */
export const PROTOCOL_VERSION = 1;

/** The type of {@link PROTOCOL_VERSION}. */
export type ProtocolVersion = typeof PROTOCOL_VERSION;
