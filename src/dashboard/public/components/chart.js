// @ts-check
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { calendarDate, number } from '../lib/format.js';
import { html } from '../lib/html.js';
import { T } from './chart.texts.js';

/** @typedef {import('../lib/types.js').HistoryDay} HistoryDay */

const HEIGHT = 300;
const OCCUPIED = '#5b2a86';
const CAPACITY = '#1b1b1f';

/** A history day as uPlot's x: seconds at midnight UTC, shown as that calendar date. @param {string} date */
const toX = (date) => Date.parse(`${date}T00:00:00Z`) / 1000;
/** @param {number} x */
const fromX = (x) => new Date(x * 1000).toISOString().slice(0, 10);
/** @param {string} date */
const dayMonth = (date) => calendarDate(date, { day: 'numeric', month: 'short' });

/**
 * People housed per night against capacity (uPlot, on a canvas), with its scale, day-month
 * dates and a legend beside the plot; the figures are also in a table for screen readers.
 * @param {{ days: HistoryDay[] }} props
 */
export function HistoryChart({ days }) {
  const box = useRef(/** @type {HTMLDivElement | null} */ (null));
  useEffect(() => {
    const element = box.current;
    if (!element || days.length === 0) {
      return undefined;
    }
    const width = () => Math.max(260, element.clientWidth);
    /** @type {uPlot.Options} */
    const options = {
      width: width(),
      height: HEIGHT,
      // History days are calendar dates: ticks fall on their midnights in UTC, not in the
      // zone of whichever computer shows the page.
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'UTC'),
      legend: { show: false },
      // Room on the right for the last date's label.
      padding: [12, 40, 0, 0],
      scales: {
        x: { time: true },
        y: { range: (_u, _min, max) => [0, Math.max(10, Math.ceil((max * 1.1) / 10) * 10)] },
      },
      axes: [
        {
          space: 70,
          values: (_u, splits) => splits.map((x) => dayMonth(fromX(x))),
          grid: { stroke: '#e4e4ea' },
        },
        {
          label: T.axis,
          size: 56,
          values: (_u, splits) => splits.map((y) => number.format(y)),
          grid: { stroke: '#e4e4ea' },
        },
      ],
      series: [
        {},
        { label: T.occupied, stroke: OCCUPIED, fill: 'rgba(91, 42, 134, 0.18)', width: 2 },
        { label: T.capacity, stroke: CAPACITY, dash: [6, 4], width: 2 },
      ],
    };
    const plot = new uPlot(
      options,
      [days.map((d) => toX(d.date)), days.map((d) => d.occupied), days.map((d) => d.capacity)],
      element,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: HEIGHT }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [days]);

  if (days.length === 0) {
    return html`<p>${T.empty}</p>`;
  }
  const occupied = days.map((d) => d.occupied);
  const summary = T.summary(
    calendarDate(days[0].date),
    calendarDate(days[days.length - 1].date),
    Math.min(...occupied),
    Math.max(...occupied),
    days[days.length - 1].capacity,
  );
  return html`<div class="chart">
    <div class="plot" ref=${box} role="img" aria-label=${summary}></div>
    <ul class="chart-legend" aria-hidden="true">
      <li><span class="swatch area"></span>${T.occupied}</li>
      <li><span class="swatch dashed"></span>${T.capacity}</li>
    </ul>
  </div>`;
}
