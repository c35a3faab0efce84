/**
 * `fedzip client --url <url> --token <t> [--data <spec>]`: a Node device client that joins a served
 * experiment, trains on its local data every round it is selected, and sends compressed updates.
 */
import { hostname } from 'node:os';
import { loadExperiment, parseExperiment } from '@fedzip/config';
import type { Command } from 'commander';
import { clientDataset } from '../experiment/client-data.js';
import { runDevices } from '../experiment/node-clients.js';
import { CliError, usageError } from '../support/errors.js';

interface ClientOptions {
  readonly url: string;
  readonly token: string;
  readonly data: string;
  readonly id?: string;
  readonly residualDir?: string;
}

/**
 * A device's local data: `mnist:<i>/<n>` is client i of n of the default MNIST partitioning
 * (Dirichlet α = 0.5 over the 6,000 client digits, seed 42); `<experiment.yaml>:<i>` is client i
 * of that experiment file's partitioning.
 */
export async function dataFromSpec(spec: string) {
  const mnist = /^mnist:(\d+)\/(\d+)$/.exec(spec);
  if (mnist) {
    const [i, n] = [Number(mnist[1]), Number(mnist[2])];
    if (n < 1 || i >= n) throw usageError(`--data ${spec}: the index must be below the count`);
    return {
      index: i,
      data: await clientDataset(parseExperiment({ clients: { count: n, perRound: 1, minResults: 1 } }), i),
    };
  }
  const file = /^(.+\.(?:ya?ml|json)):(\d+)$/.exec(spec);
  if (file) {
    const i = Number(file[2]);
    return { index: i, data: await clientDataset(loadExperiment(file[1]!), i) };
  }
  throw usageError(`--data ${spec}: expected mnist:<index>/<count> or <experiment.yaml>:<index>`);
}

export function registerClient(program: Command): void {
  program
    .command('client')
    .description('join a served experiment as a Node device and train on local data')
    .requiredOption('--url <url>', 'the coordinator, e.g. http://127.0.0.1:3000')
    .requiredOption('--token <token>', 'the join token printed by `fedzip serve`')
    .option('--data <spec>', 'local data: mnist:<index>/<count> or <experiment.yaml>:<index>', 'mnist:0/20')
    .option('--id <clientId>', 'the id to join as (default: client-<index>)')
    .option('--residual-dir <dir>', 'keep the error-feedback residual in files here (survives restarts)')
    .action(async (opts: ClientOptions) => {
      const { index, data } = await dataFromSpec(opts.data);
      const clientId = opts.id ?? `client-${String(index).padStart(3, '0')}`;
      const run = await runDevices({
        url: opts.url,
        token: opts.token,
        devices: [{ clientId, data }],
        ...(opts.residualDir ? { residualDir: opts.residualDir } : {}),
      });
      const c = run.clients[0]!;
      process.stderr.write(`joined ${opts.url} as ${clientId} on ${hostname()} with ${data.n} samples\n`);
      c.on('assigned', (e) =>
        process.stderr.write(
          `assigned round id ${e.roundId}: training from model version ${e.modelVersion}\n`,
        ),
      );
      c.on('sent', (e) =>
        process.stderr.write(
          `round update sent: ${e.bytes} bytes (${e.ratio.toFixed(1)}× smaller than float32)\n`,
        ),
      );
      c.on('reject', (e) => process.stderr.write(`update rejected: ${e.code}: ${e.message}\n`));
      process.once('SIGINT', () => void run.stop());
      const closed = await c.whenClosed();
      const remote = (closed.error as { remoteCode?: string } | null)?.remoteCode;
      if (closed.error && remote !== 'NOT_ACCEPTING') throw new CliError(`client closed: ${closed.reason}`);
      process.stderr.write(`done: ${closed.reason}\n`);
    });
}
