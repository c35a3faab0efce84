/**
 * The message of every event, as the sender builds it. Field names are the msgpack map keys on the
 * wire, except for `update`, which travels as a positional array (update-tuple.ts);
 * docs/protocol.md lists each field with its bounds. Messages carry no client id after `hello`:
 * the server binds identity to the connection, so a client cannot speak for another.
 */
import type { EncodedTensor } from '@fedzip/codec';
import type { RejectCode, ErrorCode } from './codes.js';
import type { EventName } from './events.js';
import type { ProtocolLimits } from './limits.js';
import type { ProtocolVersion } from './version.js';

/** Where a client runs. Non-JavaScript clients (Python, …) say `other`. */
export const RUNTIMES = ['node', 'browser', 'other'] as const;
/** A value of {@link RUNTIMES}. */
export type Runtime = (typeof RUNTIMES)[number];

/** Local optimizers an assignment may name (the tfjs `tf.train.*` names). */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'adagrad', 'adadelta', 'adamax', 'rmsprop'] as const;
/** A value of {@link OPTIMIZERS}. */
export type Optimizer = (typeof OPTIMIZERS)[number];

/** What a client can do, stated in `hello`. */
export interface Capabilities {
  /** Where the client runs. */
  readonly runtime: Runtime;
  /** Compute backends available, best first (e.g. `wasm`, `cpu`, `webgl`). At most 32 names of ≤ 32 chars. */
  readonly backends: readonly string[];
  /** Codec stages the client can encode and decode (e.g. `topk`, `q8`, `f32`). At most 32 names of ≤ 32 chars. */
  readonly codecs: readonly string[];
  /** Version of the encoded-tensor format the client reads and writes (`FORMAT_VERSION` of `@fedzip/codec`). */
  readonly codecFormat: number;
  /** Largest frame the client accepts, in bytes; the server must not send a larger `model`. */
  readonly maxMessageBytes: number;
}

/** `hello` (client → server): the join request, the first message on every connection. */
export interface HelloMessage {
  /** Must equal {@link PROTOCOL_VERSION}; otherwise the join fails with `BAD_VERSION`. */
  readonly protocolVersion: ProtocolVersion;
  /** The join token (printable ASCII, ≤ 4096 chars; may be empty when the server needs none). */
  readonly token: string;
  /** The id the client joins as (1–64 chars of `A–Z a–z 0–9 . _ : -`, starting with a letter or digit). */
  readonly clientId: string;
  /** The model version the client already holds (to receive a delta from it), or null. */
  readonly modelVersion: number | null;
  /** What the client can do. */
  readonly capabilities: Capabilities;
}

/**
 * Local training figures sent with an update. On the wire loss and accuracy are float32 (about 7
 * significant digits), and so are fractional timings, so the receiver gets them rounded.
 */
export interface TrainMetrics {
  /** Final local training loss (finite, ≥ 0); sent as float32. */
  readonly loss: number;
  /** Final local training accuracy in [0, 1]; sent as float32. */
  readonly accuracy: number;
  /** Wall time of local training, in milliseconds (≥ 0); a fraction is sent as float32. */
  readonly trainMs: number;
  /** Wall time of computing and encoding the update, in milliseconds (≥ 0); a fraction as float32. */
  readonly encodeMs: number;
}

/**
 * `update` (client → server): a trained update for a round. The one positional message: the frame
 * is `[roundId, baseVersion, sampleCount, loss, accuracy, trainMs, encodeMs, update]`
 * (`toUpdateTuple`), since every selected client sends one per round.
 */
export interface UpdateMessage {
  /** The round this update answers (from `assign.roundId`). */
  readonly roundId: number;
  /** The model version the update was trained from (from `assign.modelVersion`). */
  readonly baseVersion: number;
  /** Local samples the update was trained on: the aggregation weight. A positive integer. */
  readonly sampleCount: number;
  /** Local training figures. */
  readonly metrics: TrainMetrics;
  /**
   * The encoded update (`w_local − w_global`, error feedback applied), a self-describing encoded
   * tensor. Branded: a raw Float32Array cannot be sent here by mistake.
   */
  readonly update: EncodedTensor;
}

/** `eval-result` (client → server): metrics answering an `eval-request`. */
export interface EvalResultMessage {
  /** The request answered (from `eval-request.requestId`). */
  readonly requestId: number;
  /** The model version evaluated. */
  readonly modelVersion: number;
  /** Local samples evaluated; a positive integer. */
  readonly sampleCount: number;
  /** Loss on those samples (finite, ≥ 0). */
  readonly loss: number;
  /** Accuracy on those samples, in [0, 1]. */
  readonly accuracy: number;
  /** Wall time of the evaluation, in milliseconds. */
  readonly evalMs: number;
}

/** `welcome` (server → client): the join was accepted. */
export interface WelcomeMessage {
  /** The version the session speaks; equals the client's. */
  readonly protocolVersion: ProtocolVersion;
  /** The client's id for this session (the one it asked for, unless the token binds another). */
  readonly clientId: string;
  /** The experiment joined. */
  readonly experimentId: string;
  /**
   * The model architecture as JSON text (for fedzip clients, a `@fedzip/model` `ModelConfig`;
   * opaque to the protocol), so a client builds the network the weights belong to.
   */
  readonly architecture: string;
  /** The limits the server enforces on this client's frames. */
  readonly limits: ProtocolLimits;
}

/** One named tensor of the model, in the order the flat weight vector concatenates them. */
export interface LayoutEntry {
  /** The tensor's name (e.g. `dense_1/kernel`), 1–256 chars without control characters. */
  readonly name: string;
  /** The tensor's shape: 0–8 dimensions, each a non-negative integer. */
  readonly shape: readonly number[];
}

/** `model` (server → client): a model broadcast. */
export interface ModelMessage {
  /** The version these weights are. */
  readonly version: number;
  /** Names and shapes of the tensors; their sizes sum to the encoded element count. */
  readonly layout: readonly LayoutEntry[];
  /**
   * null: `weights` are the full model. A number: `weights` are a delta to add to that version,
   * which the client holds (it said so in `hello.modelVersion` or received it earlier).
   */
  readonly baseVersion: number | null;
  /** The flat weights (or delta), an encoded tensor over the concatenated layout. */
  readonly weights: EncodedTensor;
}

/** `assign` (server → client): the client is selected for a round. */
export interface AssignMessage {
  /** The round; the update must echo it. */
  readonly roundId: number;
  /** The model version to train from; the client holds it (a `model` precedes when it does not). */
  readonly modelVersion: number;
  /** Local epochs, 1–1000. */
  readonly localEpochs: number;
  /** Local batch size, 1–65536. */
  readonly batchSize: number;
  /** Learning rate, in (0, 1000]. */
  readonly lr: number;
  /** Local optimizer. */
  readonly optimizer: Optimizer;
  /** FedProx proximal weight μ in [0, 1000]; 0 disables the term. */
  readonly proxMu: number;
  /** Codec spec string for the update (e.g. `topk:0.01+q8`, or `none`); must parse. */
  readonly codec: string;
  /** Whether the client applies its error-feedback residual before encoding. */
  readonly errorFeedback: boolean;
  /** Deadline, Unix epoch milliseconds on the server's clock; updates after it are `LATE`. */
  readonly deadline: number;
  /** Seed for the client's randomness this round (shuffling, stochastic rounding, random-k): uint32. */
  readonly seed: number;
  /**
   * Differential privacy (docs/privacy.md); absent: none. The client clips Δ + residual to L2 norm
   * `clipNorm` in (0, 1e6] before encoding and, when `noiseMultiplier` in [0, 1000] is > 0, adds
   * N(0, (noiseMultiplier·clipNorm)²) to each value (local DP).
   */
  readonly dp?: { readonly clipNorm: number; readonly noiseMultiplier: number };
}

/** `ack` (server → client): the update for the round was accepted. */
export interface AckMessage {
  /** The round whose update was accepted. */
  readonly roundId: number;
}

/** `reject` (server → client): a well-formed update was refused. */
export interface RejectMessage {
  /** The round the refused update named. */
  readonly roundId: number;
  /** Why, as a stable code. */
  readonly code: RejectCode;
  /** Why, for humans (≤ 1024 chars). */
  readonly message: string;
}

/** `eval-request` (server → client): evaluate a model version on local data. */
export interface EvalRequestMessage {
  /** Echoed by the `eval-result`. */
  readonly requestId: number;
  /** The version to evaluate; the client holds it. */
  readonly modelVersion: number;
  /** Batch size for the evaluation, 1–65536. */
  readonly batchSize: number;
}

/** `error` (server → client): a message could not be processed. */
export interface ErrorMessage {
  /** What went wrong, as a stable code. */
  readonly code: ErrorCode;
  /** What went wrong, for humans (≤ 1024 chars). */
  readonly message: string;
  /** The event that caused it, when it was a protocol event; null otherwise. */
  readonly event: EventName | null;
  /** Whether the server disconnects after sending this. */
  readonly fatal: boolean;
}

/** The message of each client → server event. */
export interface ClientMessages {
  hello: HelloMessage;
  update: UpdateMessage;
  'eval-result': EvalResultMessage;
}

/** The message of each server → client event. */
export interface ServerMessages {
  welcome: WelcomeMessage;
  model: ModelMessage;
  assign: AssignMessage;
  ack: AckMessage;
  reject: RejectMessage;
  'eval-request': EvalRequestMessage;
  error: ErrorMessage;
}

/** The message of every event. */
export type Messages = ClientMessages & ServerMessages;

/** The message an event carries, as the sender builds it. */
export type MessageOf<E extends EventName> = Messages[E];

/**
 * A message as {@link decodeMessage} returns it: the same fields, but tensor bytes are plain,
 * unverified bytes in their own buffer (copied out of the frame). Run `asEncoded` with the model's
 * length before trusting them as an EncodedTensor.
 */
export type Received<M> = {
  readonly [K in keyof M]: M[K] extends EncodedTensor ? Uint8Array<ArrayBuffer> : M[K];
};

/** The message an event carries, as the receiver gets it from {@link decodeMessage}. */
export type ReceivedOf<E extends EventName> = Received<MessageOf<E>>;
