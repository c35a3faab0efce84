/**
 * `npm run fuzz [-- --messages 100000] [-- --rounds 20] [-- --seed 7] [-- --json <file>]`: the
 * coordinator fuzz campaign of test/fuzz/coordinator-fuzz.e2e.ts at any size (see fuzzer.ts), and
 * the reference run without fuzz. Prints the figures docs/RELIABILITY.md reports, and exits 1 when
 * a pass criterion fails (a crash, a model that differs from the reference, an honest client that
 * did not finish, a fuzz update accepted).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CampaignResult, runCampaign } from './fuzzer.js';

/** The pass criteria of a campaign against its reference run; empty when it passed. */
export function failures(fuzz: CampaignResult, reference: CampaignResult, rounds: number): string[] {
  const out: string[] = [];
  if (fuzz.exitCode !== 0) out.push(`the coordinator exited with ${fuzz.exitCode}`);
  if (fuzz.target.status !== 'completed' || fuzz.target.rounds !== rounds)
    out.push(`the experiment ${fuzz.target.status} after ${fuzz.target.rounds} of ${rounds} rounds`);
  if (fuzz.target.sha256 !== reference.target.sha256)
    out.push(`the final model ${fuzz.target.sha256} differs from the reference ${reference.target.sha256}`);
  if (fuzz.answers.acks !== 0) out.push(`${fuzz.answers.acks} fuzz updates were accepted`);
  if (fuzz.honestAcks.some((a) => a !== rounds))
    out.push(`honest clients' acks: ${fuzz.honestAcks.join(', ')}`);
  if (fuzz.target.records.some((r) => r.accepted !== 2))
    out.push('a round accepted other than the 2 honest updates');
  return out;
}

/** The figures of a campaign, as Markdown-friendly lines. */
export function figures(fuzz: CampaignResult, reference: CampaignResult): string {
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  const t = fuzz.target;
  const lines = [
    `messages sent: ${fuzz.totalSent} in ${(fuzz.wallMs / 1000).toFixed(1)} s`,
    ...Object.entries(fuzz.sent).map(([k, v]) => `  ${k}: ${v}`),
    `errors received by fuzz clients: ${JSON.stringify(fuzz.answers.errors)}`,
    `rejects received by fuzz clients: ${JSON.stringify(fuzz.answers.rejects)}`,
    `fuzz updates accepted: ${fuzz.answers.acks}`,
    `fuzz connections closed by the coordinator: ${fuzz.closedByServer}`,
    `coordinator peak: rss ${mib(t.peak.rss)} (baseline ${mib(t.baseline.rss)}), heap ${mib(t.peak.heapUsed)} (baseline ${mib(t.baseline.heapUsed)}), external+arrayBuffers ${mib(t.peak.external)}`,
    `reference run peak: rss ${mib(reference.target.peak.rss)}, heap ${mib(reference.target.peak.heapUsed)}`,
    `honest clients: ${fuzz.honestAcks.join(' and ')} rounds acknowledged; experiment ${t.status}, ${t.rounds} rounds, version ${t.version}`,
    `final model sha256 ${t.sha256} (reference ${reference.target.sha256})`,
    `coordinator metrics:`,
    ...t.metrics
      .split('\n')
      .filter((l) => /rejected_total|refused_total|closed_total|accepted_total/.test(l) && !/ 0$/.test(l)),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '100000' },
      rounds: { type: 'string', default: '20' },
      seed: { type: 'string', default: '7' },
      json: { type: 'string' },
    },
  });
  const rounds = Number(values.rounds);
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const reference = await runCampaign({ messages: 0, rounds });
  const fuzz = await runCampaign({
    messages: Number(values.messages),
    rounds,
    seed: Number(values.seed),
    log,
  });
  process.stdout.write(`${figures(fuzz, reference)}\n`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ fuzz, reference }, null, 2));
  const failed = failures(fuzz, reference, rounds);
  for (const f of failed) process.stdout.write(`FAIL: ${f}\n`);
  process.exit(failed.length ? 1 : 0);
}

if (process.argv[1]?.endsWith('bench/fuzz/main.js')) void main();
