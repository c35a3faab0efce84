/**
 * @fedzip/plot: line charts as SVG text (browser-safe, no dependencies), for reports, READMEs and
 * benchmark figures. PNG output lives apart in `@fedzip/plot/png` (Node only, resvg).
 */
export {
  type AxisOptions,
  type LineChartOptions,
  PALETTE,
  PlotError,
  type Point,
  type Series,
  escapeXml,
  lineChartSvg,
} from './line-chart.js';
export { type Ticks, formatTick, linearTicks, logTicks, niceStep } from './ticks.js';
