/**
 * @fedzip/client-sdk: the federated client. A portable core (`FederatedClient`, no Node-only API)
 * that joins a coordinator, trains with `@fedzip/model` on local data and submits compressed
 * updates with error feedback, over a `Transport` (`SocketIoTransport` in Node and browsers).
 * Node specifics (backend set-up, file-backed residuals) are in `index.node.ts`.
 */
export {
  type ClientPhase,
  type ClientStats,
  FederatedClient,
  type FederatedClientOptions,
  type UpdateTransform,
  type UpdateTransformRound,
} from './client/federated-client.js';
export { CODEC_STAGES, resolveCapabilities } from './capabilities.js';
export { type Listener, TypedEmitter } from './emitter.js';
export type { ClientInfo } from './data/client-info.js';
export { type DatasetBytesLimits, decodeDatasetBytes, encodeDatasetBytes } from './data/dataset-bytes.js';
export { ClientError, type ClientErrorCode, type ClientErrorDetails } from './errors.js';
export type {
  AckEvent,
  AssignedEvent,
  ClientEventMap,
  ClosedEvent,
  DisconnectedEvent,
  EvaluatedEvent,
  JoinedEvent,
  ModelEvent,
  ProgressEvent,
  ReconnectedEvent,
  RejectEvent,
  RestoredEvent,
  SentEvent,
  SkipReason,
  SkippedEvent,
  TrainedEvent,
} from './events.js';
export { type LogLevel, type Logger, consoleLogger, silentLogger, toLogger } from './logger.js';
export { type Architecture, checkDataFits, parseArchitecture } from './model/architecture.js';
export { layoutFingerprint } from './model/layout.js';
export { MemoryModelStore, type ModelKey, type ModelStore, type StoredModel } from './model/model-store.js';
export {
  MemoryResidualStore,
  type ResidualKey,
  type ResidualStore,
  type StoredResidual,
  residualKeyId,
} from './residual/residual-store.js';
export { type SocketIoTransportOptions, SocketIoTransport } from './transport/socket-io-transport.js';
export type { ConnectErrorInfo, DisconnectInfo, Transport } from './transport/transport.js';
