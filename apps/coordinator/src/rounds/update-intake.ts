import { CodecError, parseEncoded } from '@fedzip/codec';
import { type ExperimentConfig, defaultMaxSampleCount } from '@fedzip/config';
import { type ProtocolLimits, type RejectCode, decodeMessage, frameBytes } from '@fedzip/protocol';
import type { ClientSession } from '../clients/client-registry.js';
import type { Messenger } from '../clients/messenger.js';
import type { ExperimentEvents } from '../events/experiment-events.js';
import type { ExperimentSetup } from '../setup/experiment-setup.js';
import { NormBound } from './norm-bound.js';
import type { OpenRound } from './round-runner.js';
import { matchesAssigned } from './wire-spec.js';

/** Codec failures as the reject codes clients see. */
function rejectCodeOf(code: string): RejectCode {
  switch (code) {
    case 'SHAPE_MISMATCH':
    case 'TOO_MANY_ELEMENTS':
      return 'SHAPE_MISMATCH';
    case 'NON_FINITE':
      return 'NON_FINITE';
    case 'DUPLICATE_CLIENT':
      return 'DUPLICATE';
    default:
      return 'BAD_ENCODING';
  }
}

/**
 * Takes an `update` frame from a joined client through every check, in order: protocol decoding
 * (size, msgpack, schema), the round's admission (round id, selection, duplicate, base version),
 * the claimed sample count (`clients.sampleCount`), the assigned codec, the optional norm bound
 * (`robustness.normBound`, see {@link NormBound}), then decoding into the round's streaming sum
 * (length, NaN/Inf, checksum). Each refusal answers `reject` with a code and is counted; an
 * accepted update answers `ack`. Both are emitted as events (with the decode time of an accepted
 * one) for logs and metrics.
 */
export class UpdateIntake {
  private readonly n: number;
  private readonly normBound: NormBound | null;
  private readonly samples: { readonly min: number; readonly max: number };

  constructor(
    private readonly setup: ExperimentSetup,
    private readonly limits: ProtocolLimits,
    private readonly messenger: Messenger,
    private readonly events: ExperimentEvents,
  ) {
    this.n = setup.initialWeights.length;
    // A config stored by a build older than these keys lacks them: their defaults apply.
    const c = setup.config as Partial<Pick<ExperimentConfig, 'robustness'>> & {
      clients: Partial<ExperimentConfig['clients']>;
    };
    const nb = c.robustness?.normBound;
    this.normBound = nb ? new NormBound(nb, this.n) : null;
    this.samples = c.clients.sampleCount ?? { min: 1, max: defaultMaxSampleCount(setup.config) };
  }

  handle(session: ClientSession, frame: unknown, open: OpenRound | null): void {
    const size = frameBytes(frame)?.length ?? 0;
    this.messenger.received(session, size);
    const decoded = decodeMessage('update', frame, this.limits);
    if (!decoded.ok) {
      this.messenger.send(session, 'error', {
        code: decoded.code,
        message: decoded.reason,
        event: 'update',
        fatal: false,
      });
      this.count(open, session, decoded.code, decoded.reason);
      return;
    }
    const msg = decoded.msg;
    const reject = (code: RejectCode, message: string): void => {
      this.messenger.send(session, 'reject', { roundId: msg.roundId, code, message });
      this.count(open, session, code, message);
    };
    if (!open) return reject('LATE', `round ${msg.roundId} is not open`);
    const admission = open.round.admit({
      clientId: session.clientId,
      roundId: msg.roundId,
      baseVersion: msg.baseVersion,
    });
    if (!admission.ok) return reject(admission.code, admission.reason);
    open.reported++;
    open.uplinkBytes += size;
    let accepted = false;
    const t0 = performance.now();
    try {
      const bounds = this.samples;
      if (msg.sampleCount < bounds.min || msg.sampleCount > bounds.max) {
        return reject(
          'BAD_SAMPLE_COUNT',
          `sampleCount ${msg.sampleCount} is outside [${bounds.min}, ${bounds.max}] (clients.sampleCount)`,
        );
      }
      const parsed = parseEncoded(msg.update, { expectedLength: this.n });
      if (!matchesAssigned(parsed, this.setup.config.compression.uplink)) {
        return reject(
          'WRONG_CODEC',
          `update is not encoded with the assigned ${this.setup.config.compression.uplink}`,
        );
      }
      const bounded = this.normBound?.check(open.round.id, msg.update, parsed);
      if (bounded && !bounded.ok) return reject('NORM_BOUND', bounded.message);
      const outcome = open.collector.tryAdd(
        {
          clientId: session.clientId,
          numSamples: msg.sampleCount,
          metrics: { loss: msg.metrics.loss, accuracy: msg.metrics.accuracy },
        },
        bounded?.update ?? msg.update,
      );
      if (!outcome.ok) return reject(rejectCodeOf(outcome.code), outcome.message);
      accepted = true;
      if (bounded) this.normBound!.accepted(open.round.id, bounded.norm);
    } catch (e) {
      if (e instanceof CodecError) return reject(rejectCodeOf(e.code), e.message);
      throw e;
    } finally {
      open.round.settle(session.clientId, accepted);
    }
    const decodeMs = performance.now() - t0;
    open.trainLosses.push(msg.metrics.loss);
    this.messenger.send(session, 'ack', { roundId: msg.roundId });
    this.events.emit('update-accepted', {
      round: open.index,
      clientId: session.clientId,
      bytes: size,
      decodeMs,
      encodeMs: msg.metrics.encodeMs,
      accepted: open.round.acceptedCount,
      selected: open.round.selected.size,
    });
  }

  private count(open: OpenRound | null, session: ClientSession, code: string, reason: string): void {
    if (open) open.rejected[code] = (open.rejected[code] ?? 0) + 1;
    // Logged (one line) by the observability module's event log.
    this.events.emit('update-rejected', {
      round: open?.index ?? 0,
      clientId: session.clientId,
      code,
      reason,
    });
  }
}
