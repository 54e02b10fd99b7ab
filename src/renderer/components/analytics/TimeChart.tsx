// A chart over time as the analytics views show it (issue 9): a figure named by its title, the
// uPlot canvas (./time-chart.ts) sized to its room, a summary in words beside it (a canvas says
// nothing to a screen reader), the data as a table on request, and "Save as PNG" (the canvas with
// a title and legend drawn in) and, where given, a CSV export.
import 'uplot/dist/uPlot.min.css';
import './analytics-charts.css';
import { cloneElement, isValidElement, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type uPlot from 'uplot';
import { fileName, type ChartSpec } from './chart-data';
import { chartPicture, createTimeChart, pngOf } from './time-chart';

/** Hands `blob` to the browser's (Electron's) download as `name`. */
export function saveFile(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface TimeChartProps {
  spec: ChartSpec;
  /** The figure's accessible name, its caption and the PNG's title. */
  title: string;
  /** What the chart shows, in words (first and last values, totals): read with the figure. */
  description: ReactNode;
  zone: string;
  language: string;
  /** Plot height in CSS pixels (default 260). */
  height?: number;
  /** Words of the saved files' names ("post-history", the post's id…). */
  fileParts: string[];
  /** The CSV export, when the chart has one: its button's words and the file's text. */
  csv?: { label: string; text: () => string };
  /** The chart's data as a table (shown on request). */
  table?: ReactNode;
  /** How values are written in the legend. */
  formatValue?: (value: number) => string;
}

export function TimeChart(props: TimeChartProps) {
  const { t } = useTranslation();
  const { spec, zone, language, formatValue } = props;
  const height = props.height ?? 260;
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const [drawFailed, setDrawFailed] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const titleId = useId();
  const summaryId = useId();

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let made: uPlot;
    try {
      made = createTimeChart(el, spec, {
        width: el.clientWidth || 640,
        height,
        zone,
        language,
        formatValue,
        timeLabel: t('analyticsCharts.date'),
      });
    } catch {
      // No 2D canvas (a test DOM, a broken GPU process): the table says it all.
      setDrawFailed(true);
      return;
    }
    setDrawFailed(false);
    chart.current = made;
    let observer: ResizeObserver | undefined;
    if (typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => {
        const width = Math.floor(el.clientWidth);
        if (width > 0 && width !== made.width) made.setSize({ width, height });
      });
      observer.observe(el);
    }
    return () => {
      observer?.disconnect();
      made.destroy();
      if (chart.current === made) chart.current = null;
    };
  }, [spec, height, zone, language, formatValue, t]);

  const savePng = async () => {
    setMessage(null);
    const drawn = chart.current;
    if (!drawn) return;
    try {
      saveFile(fileName(props.fileParts, 'png'), await pngOf(chartPicture(drawn, props.title, spec.lines)));
    } catch (err) {
      setMessage(t('analyticsCharts.saveFailed', { reason: err instanceof Error ? err.message : String(err) }));
    }
  };
  const saveCsv = () => {
    if (!props.csv) return;
    saveFile(fileName(props.fileParts, 'csv'), new Blob([props.csv.text()], { type: 'text/csv;charset=utf-8' }));
  };

  return (
    <figure className="chart" aria-labelledby={titleId} aria-describedby={summaryId}>
      <figcaption id={titleId} className="chart-title">
        {props.title}
      </figcaption>
      <div ref={host} className="chart-canvas" role="img" aria-labelledby={titleId} aria-describedby={summaryId} />
      {drawFailed && <p className="small muted">{t('analyticsCharts.drawFailed')}</p>}
      <div id={summaryId} className="chart-summary small">
        {props.description}
      </div>
      <div className="chart-actions">
        <button type="button" onClick={() => void savePng()} disabled={drawFailed}>
          {t('analyticsCharts.savePng')}
        </button>
        {props.csv && (
          <button type="button" onClick={saveCsv}>
            {props.csv.label}
          </button>
        )}
        {message && (
          <span role="alert" className="form-error small">
            {message}
          </span>
        )}
      </div>
      {props.table && (
        <details className="chart-table" open={drawFailed || undefined}>
          <summary>{t('analyticsCharts.showTable')}</summary>
          <div className="chart-table-scroll">
            {/* The table is named by the chart's title, as the chart is. */}
            {isValidElement<{ 'aria-labelledby'?: string }>(props.table)
              ? cloneElement(props.table, { 'aria-labelledby': titleId })
              : props.table}
          </div>
        </details>
      )}
    </figure>
  );
}
