import { EventEmitter } from 'node:events';
import type { RoundRecord } from '@fedzip/protocol';

export type { RoundRecord };

/** Events of a running experiment, for the CLI's progress bar and (later) the dashboard. */
export interface ExperimentEventMap {
  'client-joined': [{ clientId: string; connected: number; runtime: string; heldVersion: number | null }];
  'client-left': [{ clientId: string; connected: number }];
  'round-opened': [{ round: number; roundId: number; attempt: number; selected: number; version: number }];
  'update-accepted': [
    {
      round: number;
      clientId: string;
      bytes: number;
      /** Time spent parsing the update and decoding it into the round's sum. */
      decodeMs: number;
      /** The client's own encode time as its update's metrics report it (training excluded). */
      encodeMs: number;
      accepted: number;
      selected: number;
    },
  ];
  'update-rejected': [{ round: number; clientId: string; code: string; reason: string }];
  'round-closed': [RoundRecord];
  finished: [{ rounds: number; status: 'completed' | 'failed'; reason?: string }];
}

/** A typed event bus for one experiment. */
export class ExperimentEvents extends EventEmitter<ExperimentEventMap> {}
