import { Presets, SingleBar } from 'cli-progress';
import type { Coordinator } from '../../../coordinator/src/index.js';

/**
 * Live progress of `fedzip run` on stderr: one bar per round (updates accepted of selected, last
 * accuracy, uplink bytes); on a non-TTY stderr (CI, pipes) one plain line per closed round.
 */
export function showProgress(
  coordinator: Pick<Coordinator, 'events' | 'runner'>,
  totalRounds: number,
  stream: NodeJS.WriteStream = process.stderr,
): () => void {
  const tty = stream.isTTY === true;
  let bar: SingleBar | null = null;
  let accuracy = '–';
  let upBytes = 0;
  const ev = coordinator.events;
  const onOpen = (e: { round: number; selected: number; attempt: number }) => {
    upBytes = 0;
    if (!tty) return;
    bar = new SingleBar(
      {
        stream,
        format: `round {round}/${totalRounds} [{bar}] {value}/{total} clients | accuracy {accuracy} | up {up} kB`,
        hideCursor: true,
        clearOnComplete: false,
      },
      Presets.shades_classic,
    );
    bar.start(e.selected, 0, {
      round: e.attempt > 1 ? `${e.round} (retry ${e.attempt - 1})` : e.round,
      accuracy,
      up: '0.0',
    });
  };
  const onUpdate = (e: { accepted: number; bytes: number }) => {
    upBytes += e.bytes;
    bar?.update(e.accepted, { up: (upBytes / 1000).toFixed(1) });
  };
  const onClosed = (r: {
    round: number;
    status: string;
    accuracy: number | null;
    accepted: number;
    selected: number;
    uplinkBytes: number;
    reason?: string;
  }) => {
    if (r.accuracy !== null) accuracy = `${(100 * r.accuracy).toFixed(2)}%`;
    if (bar) {
      bar.update(r.accepted, { accuracy, up: (r.uplinkBytes / 1000).toFixed(1) });
      bar.stop();
      bar = null;
    } else {
      stream.write(
        `round ${r.round}/${totalRounds}: ${r.status}${r.reason ? ` (${r.reason})` : ''}, ${r.accepted}/${r.selected} clients, accuracy ${accuracy}, up ${(r.uplinkBytes / 1000).toFixed(1)} kB\n`,
      );
    }
  };
  ev.on('round-opened', onOpen);
  ev.on('update-accepted', onUpdate);
  ev.on('round-closed', onClosed);
  return () => {
    bar?.stop();
    ev.off('round-opened', onOpen);
    ev.off('update-accepted', onUpdate);
    ev.off('round-closed', onClosed);
  };
}
