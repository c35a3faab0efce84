import { describe, expect, it } from '@jest/globals';
import { chartRows, chartSeries, chartSvg } from '../../bench/fl/chart.js';
import { ROWS, ROW_NAMES, rowsForSeed, selectRows, tableOrder } from '../../bench/fl/rows.js';
import {
  type FlRow,
  type RoundFigures,
  curveOf,
  lastMean,
  markdownTable,
  median,
  roundsToTarget,
  summarizeRow,
  tableHead,
} from '../../bench/fl/summary.js';
import { checkTargets, formatTargets, seedDeltas, seedsTable } from '../../bench/fl/targets.js';

function record(round: number, accuracy: number | null, extra: Partial<RoundFigures> = {}): RoundFigures {
  return {
    round,
    status: 'completed',
    uplinkBytes: 1_000_000,
    denseUplinkBytes: 4_000_000,
    downlinkBytes: 500_000,
    denseDownlinkBytes: 500_000,
    aggregateMs: 2,
    accuracy,
    ...extra,
  };
}

const ID = {
  name: 'topk1%+q8+ef',
  seed: 42,
  uplink: 'topk:0.01+q8',
  errorFeedback: true,
  downlink: 'none',
  downlinkFull: 'none',
  strategy: 'fedavg',
};

function row(name: string, finalAccuracy: number, uplinkRatio: number, seed = 42): FlRow {
  const r = summarizeRow(
    { ...ID, name, seed },
    [record(1, finalAccuracy)],
    { encodeMs: [1], decodeMs: [1] },
    10,
    0.88,
  );
  return { ...r, uplinkRatio };
}

describe('bench:fl summaries', () => {
  it('finds the first round at the target, ignoring failed and unevaluated rounds', () => {
    const records = [
      record(1, 0.5),
      record(2, 0.9, { status: 'failed' }),
      record(2, null),
      record(3, 0.88),
      record(4, 0.95),
    ];
    expect(roundsToTarget(records, 0.88)).toBe(3);
    expect(roundsToTarget(records, 0.99)).toBeNull();
  });

  it('accumulates bytes over every attempt along the curve', () => {
    const curve = curveOf([record(1, 0.5), record(2, null, { status: 'failed' }), record(2, 0.7)]);
    expect(curve).toEqual([
      { round: 1, accuracy: 0.5, cumulativeUplinkMB: 1, cumulativeDownlinkMB: 0.5 },
      { round: 2, accuracy: 0.7, cumulativeUplinkMB: 3, cumulativeDownlinkMB: 1.5 },
    ]);
  });

  it('summarizes a row with the fields of the JSON file', () => {
    const r = summarizeRow(
      ID,
      [record(1, 0.6), record(2, 0.9), record(3, 0.85)],
      { encodeMs: [3, 1, 2], decodeMs: [1, 1, 1, 1] },
      42,
      0.88,
    );
    expect(r).toMatchObject({
      ...ID,
      status: 'completed',
      rounds: 3,
      finalAccuracy: 0.85,
      bestAccuracy: 0.9,
      roundsToTarget: 2,
      target: 0.88,
      uplinkMB: 3,
      uplinkRatio: 4,
      downlinkMB: 1.5,
      downlinkRatio: 1,
      encodeMsPerUpdate: 2,
      serverMsPerUpdate: (4 + 3 * 2) / 4,
      updates: 4,
      wallSeconds: 42,
    });
    expect(r.curve).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('marks a row with a failed round, and one that never ran, as failed', () => {
    expect(
      summarizeRow(ID, [record(1, 0.5, { status: 'failed' })], { encodeMs: [], decodeMs: [] }, 1, 0.88),
    ).toMatchObject({
      status: 'failed',
      rounds: 0,
      finalAccuracy: null,
      encodeMsPerUpdate: null,
      serverMsPerUpdate: null,
    });
    expect(summarizeRow(ID, [], { encodeMs: [], decodeMs: [] }, 1, 0.88).status).toBe('failed');
  });

  it('averages the last rounds of a curve', () => {
    const curve = curveOf([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7].map((a, i) => record(i + 1, a)));
    expect(lastMean(curve)).toBeCloseTo(0.5, 10);
    expect(lastMean(curve, 2)).toBeCloseTo(0.65, 10);
    expect(lastMean([])).toBeNull();
  });

  it('takes medians', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('formats the Markdown table with a Δ to the dense row', () => {
    const table = markdownTable([row('dense', 0.95, 1), row('topk1%+q8+ef', 0.9412, 200)], 0.88);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`| ${tableHead(0.88).join(' | ')} |`);
    expect(lines[0]).toContain('rounds to 88%');
    expect(lines[3]).toContain('| 94.12 | -0.88 | 94.12 | -0.88 |');
    expect(lines[3]).toContain('| 200.0× |');
    for (const l of lines) expect(l.split('|')).toHaveLength(tableHead(0.88).length + 2);
  });

  it('checks the targets of the issue', () => {
    const pass = checkTargets([row('dense', 0.95, 1), row('topk1%+q8+ef', 0.945, 195), row('x', 0.935, 320)]);
    expect(pass.map((c) => c.pass)).toEqual([true, true]);
    expect(pass[1]!.name).toContain('(x)');
    const fail = checkTargets([row('dense', 0.95, 1), row('topk1%+q8+ef', 0.945, 170)]);
    expect(fail.map((c) => c.pass)).toEqual([false, false]);
    expect(checkTargets([]).map((c) => c.pass)).toEqual([null, null]);
    expect(formatTargets(fail)).toContain('FAIL');
  });

  it('judges the targets on the median over seeds, each seed against its own dense row', () => {
    const runs = [
      row('dense', 0.95, 1, 42),
      row('dense', 0.9, 1, 43),
      row('dense', 0.96, 1, 44),
      row('topk1%+q8+ef', 0.945, 200, 42), // −0.5
      row('topk1%+q8+ef', 0.87, 195, 43), // −3.0: one bad seed does not decide
      row('topk1%+q8+ef', 0.952, 201, 44), // −0.8
      row('x', 0.94, 310, 42),
      row('x', 0.89, 310, 43),
      row('x', 0.95, 310, 44),
      row('lucky', 0.96, 400, 42), // one seed only: not a candidate
      { ...row('m', 0.97, 400, 42), strategy: 'fedavgm(β=0.7, η=1)' },
      { ...row('m', 0.92, 400, 43), strategy: 'fedavgm(β=0.7, η=1)' },
      { ...row('m', 0.98, 400, 44), strategy: 'fedavgm(β=0.7, η=1)' }, // another strategy: neither
    ];
    expect(seedDeltas(runs, 'topk1%+q8+ef').map((d) => [d.seed, Math.round(d.final * 100) / 100])).toEqual([
      [42, -0.5],
      [43, -3],
      [44, -0.8],
    ]);
    const [topk, best] = checkTargets(runs);
    expect(topk!.pass).toBe(true);
    expect(topk!.measured).toContain('195.0× (lowest), Δ final -0.80 pp');
    expect(topk!.measured).toContain('median of 3 seeds');
    expect(best!.name).toContain('(x)');
    expect(best!.measured).toContain('Δ final -1.00 pp');
    // The lowest ratio over the seeds decides the bytes.
    const low = runs.map((r) =>
      r.name === 'topk1%+q8+ef' && r.seed === 44 ? { ...r, uplinkRatio: 189 } : r,
    );
    expect(checkTargets(low)[0]!.pass).toBe(false);
    // Two of three seeds beyond −1 pp fail.
    const worse = runs.map((r) =>
      r.name === 'topk1%+q8+ef' && r.seed === 42 ? row(r.name, 0.93, 200, 42) : r,
    );
    expect(checkTargets(worse)[0]!.pass).toBe(false);
    const table = seedsTable(runs)!;
    expect(table).toContain('| **topk1%+q8+ef** | **median** | 94.50 | **-0.80** |');
    expect(table).toContain('| x | 43 | 89.00 | -1.00 |');
    expect(table).not.toContain('| lucky |');
    expect(seedsTable([row('dense', 0.9, 1)])).toBeNull();
  });
});

describe('bench:fl rows and chart', () => {
  it('has unique row names and the issue rows', () => {
    expect(new Set(ROW_NAMES).size).toBe(ROWS.length);
    for (const n of ['dense', 'f16', 'q8', 'sq4', 'qsgd', 'sign+ef', 'ternary', 'kmeans16', 'topk1%+q8+ef'])
      expect(ROW_NAMES).toContain(n);
  });

  it('selects named rows in table order, the quick subset, or all', () => {
    expect(selectRows(['q8', 'dense'], false).map((r) => r.name)).toEqual(['dense', 'q8']);
    expect(selectRows(['q8', 'topk1%+q8+ef', 'dense'], false).map((r) => r.name)).toEqual([
      'dense',
      'topk1%+q8+ef',
      'q8',
    ]);
    expect(tableOrder([{ name: 'topk1%+q8+ef' }, { name: 'q8' }]).map((r) => r.name)).toEqual([
      'q8',
      'topk1%+q8+ef',
    ]);
    expect(selectRows(undefined, true).every((r) => r.quick)).toBe(true);
    // Later seeds run the seeded rows, or every row named with --rows.
    const all = selectRows(undefined, false);
    expect(rowsForSeed(all, 0)).toHaveLength(ROWS.length);
    expect(rowsForSeed(all, 1).map((r) => r.name)).toEqual(
      expect.arrayContaining(['dense', 'topk1%+q8+ef', 'topk1%+sign+ef', 'topk0.8%+sign+ef']),
    );
    expect(rowsForSeed(all, 1).every((r) => r.seeded)).toBe(true);
    expect(rowsForSeed(selectRows(['q8'], false), 2, true).map((r) => r.name)).toEqual(['q8']);
    expect(selectRows(undefined, false)).toHaveLength(ROWS.length);
    expect(() => selectRows(['nope'], false)).toThrow(/unknown row nope/);
  });

  it('draws one series per row, dashed without error feedback', () => {
    const rows = [row('dense', 0.9, 1), { ...row('topk', 0.8, 200), errorFeedback: false }];
    const series = chartSeries([{ ...rows[0]!, uplink: 'none', errorFeedback: false }, rows[1]!]);
    expect(series.map((s) => s.dashed)).toEqual([false, true]);
    expect(series[0]!.points).toEqual([[1, 90]]);
    expect(chartSvg(rows, 'test')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const momentum = { ...row('m', 0.8, 200), strategy: 'fedavgm(β=0.9, η=0.5)' };
    expect(chartRows([rows[0]!, momentum, { ...rows[0]!, name: 'down', downlink: 'topk:0.1+q8' }])).toEqual([
      rows[0],
    ]);
  });
});
