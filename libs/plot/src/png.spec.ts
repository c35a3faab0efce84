import { describe, expect, it } from '@jest/globals';
import { lineChartSvg } from './line-chart.js';
import { FONT_FILES, svgToPng } from './png.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Width and height from the IHDR chunk (big-endian, right after the signature and chunk header). */
const ihdr = (png: Uint8Array) => {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return {
    type: String.fromCharCode(...png.subarray(12, 16)),
    width: v.getUint32(16),
    height: v.getUint32(20),
  };
};

describe('svgToPng', () => {
  const svg = lineChartSvg(
    [
      {
        name: 'a',
        points: [
          [0, 1],
          [1, 3],
        ],
      },
    ],
    { title: 'chart', width: 800, height: 500 },
  );

  it('renders a PNG at the requested width, keeping the aspect ratio', () => {
    const png = svgToPng(svg, { width: 1200 });
    expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(ihdr(png.bytes)).toEqual({ type: 'IHDR', width: 1200, height: 750 });
    expect(png).toMatchObject({ width: 1200, height: 750 });
  });

  it('defaults to the SVG size and is deterministic', () => {
    const a = svgToPng(svg);
    expect(ihdr(a.bytes)).toMatchObject({ width: 800, height: 500 });
    expect(Buffer.from(svgToPng(svg).bytes).equals(Buffer.from(a.bytes))).toBe(true);
  });

  it('draws text with the bundled DejaVu font (a chart with text differs from one without)', () => {
    expect(FONT_FILES.every((f) => f.endsWith('.ttf'))).toBe(true);
    const withText = svgToPng(
      '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><text x="2" y="15" font-size="14">Hi</text></svg>',
    );
    const blank = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"></svg>');
    expect(Buffer.from(withText.bytes).equals(Buffer.from(blank.bytes))).toBe(false);
  });

  it('refuses bad widths and unreadable SVG with a PlotError', () => {
    expect(() => svgToPng(svg, { width: 0 })).toThrow(/width/);
    expect(() => svgToPng(svg, { width: 1.5 })).toThrow(/width/);
    expect(() => svgToPng('not svg')).toThrow(/cannot read the SVG/);
  });
});
