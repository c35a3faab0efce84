/**
 * @fedzip/protocol: the wire protocol between the coordinator and its clients (docs/protocol.md).
 * Event names and versions, message types, strict zod schemas, the msgpack framing (one binary
 * frame per event over Socket.IO's default parser), and the typed Socket.IO event contract.
 * No Nest, no tfjs; Socket.IO is used for types only.
 */
export { PROTOCOL_VERSION, type ProtocolVersion } from './version.js';
export {
  ADMIN_NAMESPACE,
  CLIENT_EVENTS,
  CLIENT_NAMESPACE,
  ClientEvent,
  type ClientEventName,
  type EventName,
  SERVER_EVENTS,
  ServerEvent,
  type ServerEventName,
  isClientEvent,
  isEventName,
  isServerEvent,
} from './events.js';
export { DecodeErrorCode, ERROR_CODES, ErrorCode, REJECT_CODES, RejectCode } from './codes.js';
export {
  CAPS,
  DEFAULT_LIMITS,
  type ProtocolLimits,
  frameLimit,
  maxFrameBytes,
  resolveLimits,
} from './limits.js';
export {
  type AckMessage,
  type AssignMessage,
  type Capabilities,
  type ClientMessages,
  type ErrorMessage,
  type EvalRequestMessage,
  type EvalResultMessage,
  type HelloMessage,
  type LayoutEntry,
  type MessageOf,
  type Messages,
  type ModelMessage,
  OPTIMIZERS,
  type Optimizer,
  RUNTIMES,
  type Received,
  type ReceivedOf,
  type RejectMessage,
  type Runtime,
  type ServerMessages,
  type TrainMetrics,
  type UpdateMessage,
  type WelcomeMessage,
} from './messages.js';
export { ID_PATTERN, type MessageSchemas, NAME_PATTERN, TOKEN_PATTERN, messageSchemas } from './schemas.js';
export { encodeMessage } from './encode.js';
export { UPDATE_FIELDS, type UpdateField, type UpdateTuple, toUpdateTuple } from './update-tuple.js';
export {
  type DecodeFailure,
  type DecodeOk,
  type DecodeResult,
  decodeClientMessage,
  decodeMessage,
  decodeServerMessage,
} from './decode.js';
export { type ClientToServerEvents, type Frame, type ServerToClientEvents } from './contract.js';
export { frameBytes, isUint8Array } from './wire/bytes.js';
export {
  type AdminAuth,
  type AdminClientCounts,
  type AdminClientToServerEvents,
  AdminConnectError,
  type AdminNamespace,
  type AdminOpenRound,
  type AdminServerToClientEvents,
  type AdminSnapshot,
  type AdminTotals,
  type ExperimentStatus,
  type RoundRecord,
  totalsOf,
} from './admin/admin-messages.js';
