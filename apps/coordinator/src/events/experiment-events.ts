import { EventEmitter } from 'node:events';

/** The record of one completed (or failed) round. */
export interface RoundRecord {
  /** 1-based index of the round in the experiment. */
  readonly round: number;
  /** Model version after the round. */
  readonly version: number;
  readonly status: 'completed' | 'failed';
  readonly reason?: string;
  readonly attempts: number;
  readonly selected: number;
  readonly reported: number;
  readonly accepted: number;
  readonly dropped: number;
  readonly rejected: Readonly<Record<string, number>>;
  readonly uplinkBytes: number;
  readonly denseUplinkBytes: number;
  readonly downlinkBytes: number;
  readonly denseDownlinkBytes: number;
  readonly aggregateMs: number;
  readonly roundMs: number;
  readonly accuracy: number | null;
  readonly loss: number | null;
  readonly meanTrainLoss: number | null;
}

/** Events of a running experiment, for the CLI's progress bar and (later) the dashboard. */
export interface ExperimentEventMap {
  'client-joined': [{ clientId: string; connected: number }];
  'client-left': [{ clientId: string; connected: number }];
  'round-opened': [{ round: number; roundId: number; attempt: number; selected: number; version: number }];
  'update-accepted': [{ round: number; clientId: string; bytes: number; accepted: number; selected: number }];
  'update-rejected': [{ round: number; clientId: string; code: string; reason: string }];
  'round-closed': [RoundRecord];
  finished: [{ rounds: number; status: 'completed' | 'failed'; reason?: string }];
}

/** A typed event bus for one experiment. */
export class ExperimentEvents extends EventEmitter<ExperimentEventMap> {}
