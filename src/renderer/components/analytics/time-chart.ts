// Drawing the analytics charts with uPlot (issue 9): one chart kind, values over time, as lines
// (a post's counts, per-post averages) or bars (posts per day or week), on a left axis and an
// optional right one (impressions: another magnitude), in the CM's zone and language.
//
// Why uPlot (https://github.com/leeoniya/uPlot, MIT): about 50 KB minified (22 KB gzipped) with no
// dependencies, where ECharts is ~1 MB and Recharts brings React-rendered SVG (one DOM node per
// point); it draws on one canvas, so a year of daily points × 4 series is a single pass of a few
// milliseconds (the `analytics` bench's chartMs), and that canvas is the PNG export. It sets
// styles only through element.style (CSSOM), which the renderer's CSP (`style-src 'self'`)
// allows; its stylesheet is imported by the component (./TimeChart.tsx).
import uPlot from 'uplot';
import { timeRange, timeTickSteps, type ChartSpec } from './chart-data';
import { formatDate, formatDateTime, formatMonth, timeTickLabels } from './dates';

/** The chart's colours on the app's dark panel (styles.css --panel, --muted, --line, --text). */
export const CHART_THEME = {
  background: '#171b22',
  text: '#e6e9ef',
  muted: '#9aa3b2',
  grid: '#2a303b',
} as const;

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';

export interface TimeChartOptions {
  /** CSS pixels of the plotting area and axes (the legend is below, in HTML). */
  width: number;
  height: number;
  /** IANA zone the time axis and the legend's times are in. */
  zone: string;
  /** The UI's language: numbers are written in it, and dates as ./dates.ts writes them. */
  language: string;
  /** How a value is written in the legend (default: a grouped integer or one decimal). */
  formatValue?: (value: number) => string;
  /** The legend's name for the time under the cursor ("Date"), in the UI's language. */
  timeLabel?: string;
  /** Show uPlot's legend (series names, values under the cursor). Default true. */
  legend?: boolean;
  /** Called after each full draw (the bench times the first one). */
  onDraw?: (chart: uPlot) => void;
}

const numberFormats = new Map<string, { plain: Intl.NumberFormat; compact: Intl.NumberFormat }>();
function numbersOf(language: string) {
  let f = numberFormats.get(language);
  if (!f) {
    f = {
      plain: new Intl.NumberFormat(language, { maximumFractionDigits: 1 }),
      compact: new Intl.NumberFormat(language, { notation: 'compact', maximumFractionDigits: 1 }),
    };
    numberFormats.set(language, f);
  }
  return f;
}

/** The data uPlot takes: x in seconds (uPlot's default unit), then one array per line. */
export function timeChartData(spec: ChartSpec): uPlot.AlignedData {
  return [spec.x.map((ms) => ms / 1000), ...spec.lines.map((l) => l.values)];
}

/** A translucent version of a #rrggbb colour (bar and area fills). */
function translucent(color: string, alpha: number): string {
  const a = Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0');
  return /^#[0-9a-f]{6}$/i.test(color) ? `${color}${a}` : color;
}

/** uPlot options for `spec` (see the file's head). */
export function timeChartOptions(spec: ChartSpec, options: TimeChartOptions): uPlot.Options {
  const { zone, language } = options;
  const numbers = numbersOf(language);
  const formatValue = options.formatValue ?? ((v: number) => numbers.plain.format(v));
  const hasRight = spec.lines.some((l) => l.axis === 'right');
  const hasBars = spec.lines.some((l) => l.bars);
  // The range around the data (chart-data.ts `timeRange`), in uPlot's seconds.
  const range = timeRange(spec.x, zone, spec.period);
  const xRange = range ? ([range[0] / 1000, range[1] / 1000] as uPlot.Range.MinMax) : null;
  const steps = timeTickSteps(spec.period);
  // The legend says a period by its start's day (or month), an observation by its time.
  const instant = (ms: number) =>
    spec.period === 'month'
      ? formatMonth(ms, language, zone)
      : spec.period || hasBars
        ? formatDate(ms, language, zone)
        : formatDateTime(ms, language, zone);
  const axis = (side: 0 | 1 | 2 | 3, scale: string, label?: string): uPlot.Axis => ({
    scale,
    side,
    stroke: CHART_THEME.muted,
    font: FONT,
    labelFont: FONT,
    ...(label ? { label, labelSize: 20 } : {}),
    grid: { show: side !== 1, stroke: CHART_THEME.grid, width: 1 },
    ticks: { show: true, stroke: CHART_THEME.grid, width: 1, size: 4 },
    ...(side === 2
      ? {
          values: (_u: uPlot, ticks: number[], _i: number, _space: number, incr: number) =>
            timeTickLabels(ticks, incr, language, zone),
          ...(steps ? { incrs: steps } : {}),
          space: 60,
          size: 48,
        }
      : {
          // A tick filtered out (`filter`) comes as null: no label.
          values: (_u: uPlot, ticks: Array<number | null>) =>
            ticks.map((v) => (v == null ? null : numbers.compact.format(v))),
          ...(scale === 'left' && spec.wholeNumbers
            ? { filter: (_u: uPlot, ticks: number[]) => ticks.map((v) => (Number.isInteger(v) ? v : null)) }
            : {}),
          size: 56,
        }),
  });
  return {
    width: Math.max(100, Math.floor(options.width)),
    height: Math.max(80, Math.floor(options.height)),
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), zone),
    scales: {
      x: {
        time: true,
        range: (_u, min, max): uPlot.Range.MinMax => xRange ?? [min, max],
      },
      left: { auto: true, range: (_u, min, max) => [0, Math.max(max, min, 1) * 1.05] },
      ...(hasRight ? { right: { auto: true, range: (_u, min, max) => [0, Math.max(max, min, 1) * 1.05] } } : {}),
    },
    axes: [axis(2, 'x'), axis(3, 'left', spec.leftLabel), ...(hasRight ? [axis(1, 'right', spec.rightLabel)] : [])],
    series: [
      {
        label: options.timeLabel ?? 'Date',
        value: (_u, v) => (v == null ? '—' : instant(v * 1000)),
      },
      ...spec.lines.map((l): uPlot.Series => ({
        label: l.label,
        class: `chart-series-${l.key}`,
        scale: l.axis,
        stroke: l.color,
        width: l.bars ? 1 : 2,
        spanGaps: true,
        value: (_u, v) => (v == null ? '—' : formatValue(v)),
        ...(l.dashed ? { dash: [6, 4] } : {}),
        ...(l.bars
          ? {
              paths: uPlot.paths.bars!({ size: [0.7, 64], align: 0 }),
              fill: translucent(l.color, 0.6),
              points: { show: false },
            }
          : { points: { show: spec.x.length <= 120, size: 5, fill: l.color } }),
      })),
    ],
    legend: { show: options.legend ?? true, live: true },
    cursor: { drag: { x: false, y: false } },
    hooks: options.onDraw ? { draw: [options.onDraw] } : {},
  };
}

/**
 * Draws `spec` into `target` (uPlot appends its root there). Answers the chart: `setSize` it when
 * the room changes, `destroy` it when done. Needs a browser with canvas (not jsdom).
 */
export function createTimeChart(target: HTMLElement, spec: ChartSpec, options: TimeChartOptions): uPlot {
  return new uPlot(timeChartOptions(spec, options), timeChartData(spec), target);
}

/**
 * The chart as a picture to keep: the app's panel colour behind it (the canvas itself is
 * transparent), `title` above, and a legend of the series shown below (colour swatch, dashed for
 * a dashed line, and name), at the canvas' pixel ratio.
 */
export function chartPicture(
  chart: Pick<uPlot, 'ctx' | 'width' | 'series'>,
  title: string,
  lines: ChartSpec['lines'],
): HTMLCanvasElement {
  const source = chart.ctx.canvas;
  const ratio = source.width / Math.max(1, chart.width);
  const pad = 16 * ratio;
  const titleHeight = 28 * ratio;
  const legendLine = 22 * ratio;
  const shown = lines.filter((_, i) => chart.series[i + 1]?.show !== false);
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas to draw the picture on.');
  // Lay the legend out first: its rows decide the height.
  ctx.font = `${13 * ratio}px system-ui, sans-serif`;
  const width = source.width + 2 * pad;
  const items: Array<{ x: number; row: number; line: (typeof shown)[number] }> = [];
  let x = pad;
  let row = 0;
  for (const line of shown) {
    const w = 28 * ratio + ctx.measureText(line.label).width + 18 * ratio;
    if (x + w > width - pad && x > pad) {
      row++;
      x = pad;
    }
    items.push({ x, row, line });
    x += w;
  }
  const legendHeight = shown.length ? (row + 1) * legendLine : 0;
  out.width = Math.ceil(width);
  out.height = Math.ceil(pad + titleHeight + source.height + legendHeight + pad);
  ctx.fillStyle = CHART_THEME.background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = CHART_THEME.text;
  ctx.font = `600 ${15 * ratio}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, pad, pad + titleHeight / 2);
  ctx.drawImage(source, pad, pad + titleHeight);
  ctx.font = `${13 * ratio}px system-ui, sans-serif`;
  const top = pad + titleHeight + source.height;
  for (const { x: left, row: r, line } of items) {
    const y = top + r * legendLine + legendLine / 2;
    ctx.strokeStyle = line.color;
    ctx.fillStyle = line.bars ? translucent(line.color, 0.6) : line.color;
    if (line.bars) ctx.fillRect(left, y - 6 * ratio, 20 * ratio, 12 * ratio);
    else {
      ctx.lineWidth = 2 * ratio;
      ctx.setLineDash(line.dashed ? [6 * ratio, 4 * ratio] : []);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + 20 * ratio, y);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = CHART_THEME.text;
    ctx.fillText(line.label, left + 28 * ratio, y);
  }
  return out;
}

/** A canvas as PNG bytes. @throws Error when the browser cannot encode it. */
export function pngOf(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The chart could not be encoded as PNG.'))),
      'image/png',
    ),
  );
}
