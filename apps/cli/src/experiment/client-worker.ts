/**
 * A worker thread of `fedzip run`: hosts some of the experiment's simulated devices, each with its
 * own Socket.IO connection, data partition and residual, and trains them on this thread's tfjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type ExperimentConfig, loadExperiment } from '@fedzip/config';
import { loadExperimentData } from '@fedzip/model';
import { attackDevice } from './attacks.js';
import { clientDataset } from './client-data.js';
import { runDevices } from './node-clients.js';

/** What the parent passes to a client worker. */
export interface ClientWorkerData {
  readonly url: string;
  readonly token: string;
  /** The experiment file to load, or (when absent) {@link config} itself. */
  readonly configPath?: string;
  /** The parsed config, for experiments that exist only in memory (the robustness benchmark). */
  readonly config?: ExperimentConfig;
  readonly indices: readonly number[];
}

async function main(): Promise<void> {
  const wd = workerData as ClientWorkerData;
  const config = wd.configPath === undefined ? wd.config! : loadExperiment(wd.configPath);
  const data = await loadExperimentData(config);
  const devices = await Promise.all(
    wd.indices.map(async (i) => ({
      clientId: `client-${String(i).padStart(3, '0')}`,
      // Simulated Byzantine clients of the config's `attack` section (honest when absent).
      ...attackDevice(
        config.attack,
        i,
        config.clients.count,
        config.seed,
        await clientDataset(config, i, data),
      ),
    })),
  );
  const run = await runDevices({ url: wd.url, token: wd.token, devices, quiet: true });
  parentPort?.postMessage({ type: 'ready', clients: devices.length });
  parentPort?.on('message', (m: { type: string }) => {
    if (m.type === 'stop') void run.stop().then(() => process.exit(0));
  });
  await run.done;
}

main().catch((e: unknown) => {
  parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  process.exitCode = 1;
});
