import { CAPS, type ProtocolLimits, resolveLimits } from '@fedzip/protocol';

/** Bytes a dense float32 message of n values takes, plus the format's headers. */
function denseBytes(n: number): number {
  return 4 * n + 1024;
}

/**
 * Protocol limits sized from the model: an update or a model may never exceed the dense float32
 * size of the model plus headers (whatever codec is assigned, dense is the worst case), and the
 * element count must be exactly the model's. Socket.IO's buffer is sized from these.
 */
export function limitsForModel(params: number, layoutEntries: number): ProtocolLimits {
  return resolveLimits({
    maxModelParams: params,
    maxUpdateBytes: denseBytes(params),
    maxModelBytes: denseBytes(params),
    maxLayoutEntries: Math.max(1, layoutEntries),
    maxControlFrameBytes: 64 * 1024 + CAPS.architectureChars,
  });
}
