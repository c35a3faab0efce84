/**
 * Event names of the wire protocol. Every event carries exactly one argument: a binary frame
 * holding one msgpack-encoded message (docs/protocol.md, "Framing").
 */

/** Events a client sends to the coordinator. */
export const ClientEvent = {
  /** Join: protocol version, join token, client id, capabilities, model version held. */
  Hello: 'hello',
  /** A trained, encoded model update for a round. */
  Update: 'update',
  /** Metrics of a model version on the client's local data, answering `eval-request`. */
  EvalResult: 'eval-result',
} as const;

/** Events the coordinator sends to a client. */
export const ServerEvent = {
  /** The join was accepted: the client's id, the experiment, the server's limits. */
  Welcome: 'welcome',
  /** A model broadcast: full weights, or a delta from a version the client holds. */
  Model: 'model',
  /** A round assignment: what to train, how, with which codec, and by when. */
  Assign: 'assign',
  /** An update was accepted into its round. */
  Ack: 'ack',
  /** A well-formed update was refused, with a {@link RejectCode}. */
  Reject: 'reject',
  /** A request to evaluate a model version on local data. */
  EvalRequest: 'eval-request',
  /** A message could not be processed, with an {@link ErrorCode}; `fatal` errors end the session. */
  Error: 'error',
} as const;

/** Name of an event a client sends. */
export type ClientEventName = (typeof ClientEvent)[keyof typeof ClientEvent];
/** Name of an event the coordinator sends. */
export type ServerEventName = (typeof ServerEvent)[keyof typeof ServerEvent];
/** Name of any protocol event. */
export type EventName = ClientEventName | ServerEventName;

/** Every client → server event name. */
export const CLIENT_EVENTS: readonly ClientEventName[] = Object.freeze(Object.values(ClientEvent));
/** Every server → client event name. */
export const SERVER_EVENTS: readonly ServerEventName[] = Object.freeze(Object.values(ServerEvent));

const clientEvents: ReadonlySet<unknown> = new Set(CLIENT_EVENTS);
const serverEvents: ReadonlySet<unknown> = new Set(SERVER_EVENTS);

/** Whether `name` is an event a client may send. Safe on any value. */
export function isClientEvent(name: unknown): name is ClientEventName {
  return clientEvents.has(name);
}

/** Whether `name` is an event the coordinator may send. Safe on any value. */
export function isServerEvent(name: unknown): name is ServerEventName {
  return serverEvents.has(name);
}

/** Whether `name` is any protocol event. Safe on any value. */
export function isEventName(name: unknown): name is EventName {
  return clientEvents.has(name) || serverEvents.has(name);
}

/** Socket.IO namespace that federated clients connect to (the default namespace). */
export const CLIENT_NAMESPACE = '/';

/**
 * Socket.IO namespace reserved for the read-only admin side (dashboard, metrics). It is separate
 * from {@link CLIENT_NAMESPACE} and authenticated with its own token; clients never use it.
 */
export const ADMIN_NAMESPACE = '/admin';
