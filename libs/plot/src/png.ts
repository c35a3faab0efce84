/**
 * SVG → PNG in Node with resvg (a Rust renderer; no browser, no system libraries). Text is set in
 * DejaVu Sans from the `dejavu-fonts-ttf` package and system fonts are never loaded, so the same
 * SVG gives the same pixels on every machine. Node only: browsers import `@fedzip/plot`.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { PlotError } from './line-chart.js';

const require = createRequire(import.meta.url);

/** The font files handed to resvg: DejaVu Sans, regular and bold. */
export const FONT_FILES: readonly string[] = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) =>
  require.resolve(`dejavu-fonts-ttf/ttf/${f}`),
);

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /** Width of the PNG in pixels (the height keeps the SVG's aspect ratio); default: the SVG's own width. */
  readonly width?: number;
  /** Background behind transparent parts; default white. */
  readonly background?: string;
}

/** A rendered PNG and its pixel size. */
export interface Png {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Renders an SVG document to PNG bytes. Throws a {@link PlotError} for a bad width or unreadable SVG. */
export function svgToPng(svg: string, options: PngOptions = {}): Png {
  const { width } = options;
  if (width !== undefined && !(Number.isInteger(width) && width > 0 && width <= 16384))
    throw new PlotError(`the PNG width must be an integer in [1, 16384], got ${width}`);
  let resvg: Resvg;
  try {
    resvg = new Resvg(svg, {
      fitTo: width === undefined ? { mode: 'original' } : { mode: 'width', value: width },
      background: options.background ?? '#ffffff',
      font: {
        loadSystemFonts: false,
        fontFiles: [...FONT_FILES],
        defaultFontFamily: 'DejaVu Sans',
        sansSerifFamily: 'DejaVu Sans',
      },
      shapeRendering: 2,
      textRendering: 1,
    });
  } catch (err) {
    throw new PlotError(`cannot read the SVG: ${err instanceof Error ? err.message : String(err)}`);
  }
  const image = resvg.render();
  return { bytes: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}
