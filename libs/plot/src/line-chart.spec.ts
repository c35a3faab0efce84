import { describe, expect, it } from '@jest/globals';
import { PlotError, type Series, escapeXml, lineChartSvg } from './line-chart.js';

const texts = (svg: string, cls: string) => {
  const group = new RegExp(`<g class="${cls}"[^>]*>([\\s\\S]*?)</g>`).exec(svg)?.[1] ?? '';
  return [...group.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
};
const paths = (svg: string) => [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);
const circles = (svg: string) => (svg.match(/<circle /g) ?? []).length;

const line: Series = {
  name: 'topk',
  points: [
    [0, 10],
    [1, 40],
    [2, 70],
    [3, 85],
  ],
};

describe('lineChartSvg', () => {
  it('writes a standalone SVG with title, axis labels, ticks and one path per series', () => {
    const svg = lineChartSvg(
      [
        line,
        {
          name: 'dense',
          points: [
            [0, 20],
            [3, 90],
          ],
          dashed: true,
        },
      ],
      {
        title: 'Accuracy',
        x: { label: 'uplink (MB)' },
        y: { label: 'accuracy (%)' },
      },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('>Accuracy</text>');
    expect(svg).toContain('>uplink (MB)</text>');
    expect(svg).toContain('>accuracy (%)</text>');
    expect(texts(svg, 'x-ticks')).toEqual(['0', '0.5', '1.0', '1.5', '2.0', '2.5', '3.0']);
    expect(texts(svg, 'y-ticks')).toEqual(['0', '20', '40', '60', '80', '100']);
    expect(paths(svg)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray="7 5"');
    expect((svg.match(/class="legend-item"/g) ?? []).length).toBe(2);
  });

  it('puts the extreme points on the plot edges', () => {
    const svg = lineChartSvg([line], { x: { min: 0, max: 3 }, y: { min: 10, max: 85 } });
    const d = paths(svg)[0]!;
    const xs = [...d.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const rect = /<clipPath[^>]*><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(
      svg,
    )!;
    const [left, top, w, h] = rect.slice(1).map(Number) as [number, number, number, number];
    expect(xs[0]![0]).toBeCloseTo(left, 1);
    expect(xs[0]![1]).toBeCloseTo(top + h, 1);
    expect(xs[3]![0]).toBeCloseTo(left + w, 1);
    expect(xs[3]![1]).toBeCloseTo(top, 1);
  });

  it('escapes every piece of text', () => {
    const evil = `<script>alert("x") & 'y'</script>`;
    const svg = lineChartSvg([{ ...line, name: evil, color: '"/><script>' }], {
      title: evil,
      subtitle: evil,
      x: { label: evil, format: () => evil },
      y: { label: evil },
      legend: true,
      idPrefix: 'a"b',
    });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('"/>"');
    expect(svg).toContain(escapeXml(evil));
    expect(svg).toContain('id="a_b-clip"');
  });

  it('draws a single point as a dot on a padded axis', () => {
    const svg = lineChartSvg([{ name: 'one', points: [[0.5, 90]] }], { markers: false });
    expect(paths(svg)).toHaveLength(0);
    expect(circles(svg)).toBe(1);
    expect(svg).not.toContain('no data');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('breaks lines at NaN and infinite points and ignores them for the axes', () => {
    const svg = lineChartSvg(
      [
        {
          name: 'gappy',
          points: [
            [0, 1],
            [1, 2],
            [2, NaN],
            [Infinity, 3],
            [3, 4],
            [4, 5],
          ],
        },
      ],
      { markers: false },
    );
    expect(paths(svg)[0]!.match(/M/g)).toHaveLength(2);
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(texts(svg, 'x-ticks').at(-1)).toBe('4.0');
  });

  it('shows "no data" for empty input instead of failing', () => {
    for (const series of [
      [],
      [{ name: 'empty', points: [] }],
      [{ name: 'nan', points: [[NaN, NaN]] as const }],
    ]) {
      const svg = lineChartSvg(series, { title: 'empty' });
      expect(svg).toContain('>no data</text>');
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
  });

  it('skips non-positive values on a logarithmic axis', () => {
    const svg = lineChartSvg(
      [
        {
          name: 'log',
          points: [
            [0, 1],
            [0.01, 2],
            [0.1, 3],
            [1, 4],
          ],
        },
      ],
      { x: { log: true } },
    );
    expect(texts(svg, 'x-ticks')).toEqual(['0.01', '0.02', '0.05', '0.1', '0.2', '0.5', '1']);
    expect(circles(svg)).toBe(3);
  });

  it('refuses bad sizes and bounds with a PlotError', () => {
    expect(() => lineChartSvg([line], { width: NaN })).toThrow(PlotError);
    expect(() => lineChartSvg([line], { width: 10 })).toThrow(/at least 100/);
    expect(() => lineChartSvg([line], { y: { min: 5, max: 1 } })).toThrow(/above/);
    expect(() => lineChartSvg([line], { x: { max: Infinity } })).toThrow(/finite/);
    expect(() => lineChartSvg([line], { x: { log: true, min: 0 } })).toThrow(/> 0/);
  });
});
