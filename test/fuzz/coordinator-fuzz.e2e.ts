/**
 * Issue 7's fuzz test: over 10,000 random and mutated messages against a live coordinator (a
 * child process, bench/fuzz/target.ts), beside two honest clients. See bench/fuzz/fuzzer.ts for
 * the categories; `npm run fuzz` runs a larger campaign. Pass criteria: the coordinator never
 * crashes, its memory stays bounded, the global model is bit-identical to a run without fuzz (it
 * changed only through the honest updates), every rejection was answered and counted, and the
 * honest clients complete every round.
 */
import { describe, expect, it } from '@jest/globals';
import { type CampaignResult, runCampaign } from '../../bench/fuzz/fuzzer.js';
import { failures, figures } from '../../bench/fuzz/main.js';

const ROUNDS = 6;

/** `fedzip_updates_rejected_total` by reason, from the target's metrics text. */
function rejectedByReason(r: CampaignResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of r.target.metrics.matchAll(
    /^fedzip_updates_rejected_total\{[^}]*reason="([A-Z_]+)"\} (\d+)$/gm,
  ))
    out[m[1]!] = Number(m[2]);
  return out;
}

describe('coordinator fuzz', () => {
  it('survives 10,000 hostile messages; the model changes only through valid updates', async () => {
    const reference = await runCampaign({ messages: 0, rounds: ROUNDS });
    const fuzz = await runCampaign({ messages: 10_000, rounds: ROUNDS });
    process.stderr.write(`${figures(fuzz, reference)}\n`);

    expect(fuzz.totalSent).toBeGreaterThanOrEqual(10_000);
    for (const [category, n] of Object.entries(fuzz.sent))
      expect([category, n > 0]).toEqual([category, true]);
    // No crash, every round completed with exactly the honest updates, the same model as without fuzz.
    expect(failures(fuzz, reference, ROUNDS)).toEqual([]);
    expect(fuzz.exitCode).toBe(0);
    // Every refused update was answered with the code the metrics counted it under.
    const answered: Record<string, number> = {};
    for (const [code, n] of Object.entries(fuzz.answers.rejects)) answered[code] = n;
    for (const [key, n] of Object.entries(fuzz.answers.errors))
      if (key.startsWith('update:')) answered[key.slice(7)] = (answered[key.slice(7)] ?? 0) + n;
    expect(rejectedByReason(fuzz)).toEqual(answered);
    // The post-admission checks were all reached.
    for (const code of ['BAD_SAMPLE_COUNT', 'WRONG_CODEC', 'SHAPE_MISMATCH', 'BAD_ENCODING', 'NORM_BOUND'])
      expect([code, (fuzz.answers.rejects[code] ?? 0) > 0]).toEqual([code, true]);
    // Flooding was limited, and the flooding connections were closed.
    expect(fuzz.target.metrics).toMatch(/^fedzip_frames_refused_total\{reason="RATE_LIMITED"\} [1-9]/m);
    expect(fuzz.target.metrics).toMatch(/^fedzip_connections_closed_total\{reason="RATE_LIMITED"\} [1-9]/m);
    // Bounded memory: the coordinator's heap grows by less than 64 MiB over its idle baseline.
    expect(fuzz.target.peak.heapUsed - fuzz.target.baseline.heapUsed).toBeLessThan(64 * 2 ** 20);
    expect(fuzz.target.peak.rss).toBeLessThan(512 * 2 ** 20);
  }, 120_000);
});
