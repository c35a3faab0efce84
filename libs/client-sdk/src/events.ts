/**
 * The events a {@link FederatedClient} emits, with their payloads. Byte counts are frame sizes
 * (the msgpack frame of one Socket.IO event), so they add up to the client's totals.
 */
import type { ProtocolLimits, RejectCode } from '@fedzip/protocol';
import type { ClientError } from './errors.js';

/** `joined`: the server accepted the join (`welcome`). */
export interface JoinedEvent {
  /** The client's id this session (the server's word for it). */
  readonly clientId: string;
  readonly experimentId: string;
  /** The model version held when joining (null on a first join or after a resync). */
  readonly modelVersion: number | null;
  /** Parameters of the experiment's model. */
  readonly modelParams: number;
  /** What the server enforces on this client's frames. */
  readonly limits: ProtocolLimits;
  /** False on the first join, true after a reconnect. */
  readonly rejoin: boolean;
}

/** `model`: a model broadcast was applied. */
export interface ModelEvent {
  /** The version now held. */
  readonly version: number;
  /** `full`: the weights replaced the model; `delta`: they were added to `baseVersion`. */
  readonly kind: 'full' | 'delta';
  readonly baseVersion: number | null;
  /** Size of the `model` frame received. */
  readonly bytes: number;
  /** Float32 size of the same weights (4 bytes per parameter), for a downlink ratio. */
  readonly denseBytes: number;
}

/** `assigned`: an assignment arrived (it may still be skipped; see `skipped`). */
export interface AssignedEvent {
  readonly roundId: number;
  readonly modelVersion: number;
  readonly localEpochs: number;
  readonly batchSize: number;
  readonly codec: string;
  readonly errorFeedback: boolean;
  /** Unix epoch ms on the server's clock. */
  readonly deadline: number;
}

/** `progress`: one local optimisation step finished. */
export interface ProgressEvent {
  readonly roundId: number;
  /** Epoch index, from 0. */
  readonly epoch: number;
  /** Batch index within the epoch, from 0. */
  readonly batch: number;
  readonly epochs: number;
  readonly batchesPerEpoch: number;
  /** Mean cross-entropy of the batch, before the step. */
  readonly loss: number;
}

/** `trained`: local training of a round finished. */
export interface TrainedEvent {
  readonly roundId: number;
  /** Final-epoch training loss and accuracy. */
  readonly loss: number;
  readonly accuracy: number;
  readonly steps: number;
  /** Wall time of local training. */
  readonly trainMs: number;
}

/** `sent`: an update went out. */
export interface SentEvent {
  readonly roundId: number;
  readonly baseVersion: number;
  readonly codec: string;
  /** Size of the `update` frame sent. */
  readonly bytes: number;
  /** Size of the encoded tensor inside it. */
  readonly updateBytes: number;
  /** Float32 size of the dense delta (4 bytes per parameter). */
  readonly denseBytes: number;
  /** `denseBytes / updateBytes`: the update's compression ratio. */
  readonly ratio: number;
  /** Wall time of computing the delta and encoding it (error feedback included). */
  readonly encodeMs: number;
  /** ‖e‖₂ of the error-feedback residual after this update, or null without error feedback. */
  readonly residualNorm: number | null;
}

/** `ack`: the server accepted the update of a round. */
export interface AckEvent {
  readonly roundId: number;
}

/** `reject`: the server refused a well-formed update. */
export interface RejectEvent {
  readonly roundId: number;
  readonly code: RejectCode;
  readonly message: string;
}

/** Why an assignment produced no update. */
export type SkipReason =
  /** An assignment for the same or a later round is already held. */
  | 'stale'
  | 'duplicate'
  /** A newer assignment arrived before this one's update was sent. */
  | 'superseded'
  /** The client does not hold (any more) the model version the assignment names. */
  | 'no-model'
  /** The experiment or the model's architecture changed under it. */
  | 'model-changed'
  /** The assignment asks for something unsupported, or training or encoding failed. */
  | 'failed'
  /** The update would exceed the server's limits. */
  | 'too-large'
  /** The client stopped. */
  | 'stopped';

/** `skipped`: an assignment was dropped without sending an update. */
export interface SkippedEvent {
  readonly roundId: number;
  readonly reason: SkipReason;
}

/** `evaluated`: an `eval-request` was answered. */
export interface EvaluatedEvent {
  readonly requestId: number;
  readonly modelVersion: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly evalMs: number;
}

/** `disconnected`: the transport lost its connection. */
export interface DisconnectedEvent {
  readonly reason: string;
  /** Whether the transport will reconnect by itself. */
  readonly willReconnect: boolean;
}

/** `reconnected`: the transport connected again; a `hello` follows. */
export interface ReconnectedEvent {
  /** How many times the transport has reconnected so far (1 for the first reconnect). */
  readonly reconnects: number;
}

/** `closed`: the client is done (stopped, fatal error, or the server ended the session). */
export interface ClosedEvent {
  readonly reason: string;
  /** The error that closed it, when one did. */
  readonly error: ClientError | null;
}

/** `restored`: `start()` restored a model version from the model store, before connecting. */
export interface RestoredEvent {
  readonly experimentId: string;
  readonly version: number;
  readonly modelParams: number;
}

/** Every event of a {@link FederatedClient} and its payload. */
export interface ClientEventMap {
  restored: RestoredEvent;
  joined: JoinedEvent;
  model: ModelEvent;
  assigned: AssignedEvent;
  progress: ProgressEvent;
  trained: TrainedEvent;
  sent: SentEvent;
  ack: AckEvent;
  reject: RejectEvent;
  skipped: SkippedEvent;
  evaluated: EvaluatedEvent;
  error: ClientError;
  disconnected: DisconnectedEvent;
  reconnected: ReconnectedEvent;
  closed: ClosedEvent;
}
