/**
 * The typed Socket.IO event contract, for the generics of `socket.io` and `socket.io-client`:
 *
 * ```ts
 * const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer);
 * const socket: Socket<ServerToClientEvents, ClientToServerEvents> = ioClient(url);
 * socket.emit('hello', encodeMessage('hello', hello));
 * ```
 *
 * Every event takes exactly one {@link Frame}. The types describe what an honest peer sends; what
 * arrives is untrusted (browsers receive an ArrayBuffer, a hostile peer sends anything), so a
 * listener passes its argument to `decodeMessage`, which accepts `unknown`.
 */

/** One binary frame: a msgpack-encoded message, made by `encodeMessage`. */
export type Frame = Uint8Array;

/** Events a client emits and the coordinator listens to. */
export interface ClientToServerEvents {
  /** {@link HelloMessage}: join. The first event of every connection. */
  hello: (frame: Frame) => void;
  /** {@link UpdateMessage}: a trained, encoded update for a round. */
  update: (frame: Frame) => void;
  /** {@link EvalResultMessage}: metrics answering an `eval-request`. */
  'eval-result': (frame: Frame) => void;
}

/** Events the coordinator emits and a client listens to. */
export interface ServerToClientEvents {
  /** {@link WelcomeMessage}: the join was accepted. */
  welcome: (frame: Frame) => void;
  /** {@link ModelMessage}: a model broadcast (full, or a delta from a held version). */
  model: (frame: Frame) => void;
  /** {@link AssignMessage}: a round assignment. */
  assign: (frame: Frame) => void;
  /** {@link AckMessage}: an update was accepted. */
  ack: (frame: Frame) => void;
  /** {@link RejectMessage}: a well-formed update was refused, with a reason code. */
  reject: (frame: Frame) => void;
  /** {@link EvalRequestMessage}: evaluate a model version locally. */
  'eval-request': (frame: Frame) => void;
  /** {@link ErrorMessage}: a message could not be processed. */
  error: (frame: Frame) => void;
}
