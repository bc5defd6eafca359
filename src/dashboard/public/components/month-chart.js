// @ts-check
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { number } from '../lib/format.js';
import { html } from '../lib/html.js';

const HEIGHT = 260;
const COLOUR = '#5b2a86';

/**
 * One figure per month (uPlot, on a canvas), as bars or a line. A withheld month (null) is a
 * gap, never a zero; the figures are also in the summary for screen readers.
 * @param {{ labels: string[], values: (number | null)[], kind: 'bars' | 'line',
 *   axis: string, series: string, summary: string, format?: (n: number) => string }} props
 */
export function MonthChart({ labels, values, kind, axis, series, summary, format }) {
  const box = useRef(/** @type {HTMLDivElement | null} */ (null));
  useEffect(() => {
    const element = box.current;
    if (!element || labels.length === 0) {
      return undefined;
    }
    const show = format ?? ((/** @type {number} */ n) => number.format(n));
    const width = () => Math.max(260, element.clientWidth);
    const top = Math.max(0, ...values.map((v) => v ?? 0));
    /** @type {uPlot.Options} */
    const options = {
      width: width(),
      height: HEIGHT,
      legend: { show: false },
      padding: [12, 24, 0, 0],
      scales: {
        // The months are categories (their index), not instants.
        x: { time: false, range: [-0.5, labels.length - 0.5] },
        y: { range: [0, Math.max(10, Math.ceil((top * 1.1) / 10) * 10)] },
      },
      axes: [
        {
          space: 40,
          incrs: [1],
          values: (_u, splits) => splits.map((i) => labels[i] ?? ''),
          grid: { show: false },
        },
        {
          label: axis,
          size: 56,
          values: (_u, splits) => splits.map((y) => show(y)),
          grid: { stroke: '#e4e4ea' },
        },
      ],
      series: [
        {},
        kind === 'bars'
          ? {
              label: series,
              stroke: COLOUR,
              fill: 'rgba(91, 42, 134, 0.6)',
              paths: uPlot.paths.bars?.({ size: [0.6, 64] }),
              points: { show: false },
            }
          : { label: series, stroke: COLOUR, width: 2, spanGaps: false },
      ],
    };
    const plot = new uPlot(options, [labels.map((_l, i) => i), values], element);
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: HEIGHT }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [labels.join(), values.join(), kind]);

  return html`<div class="chart">
    <div class="plot" ref=${box} role="img" aria-label=${summary}></div>
  </div>`;
}
