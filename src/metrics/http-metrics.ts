import { Injectable } from '@nestjs/common';
import { Registry, type Metric } from 'prom-client';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = Record<string, string | number>;

/** What prom-client's registry reads from a metric when it writes the text format. */
interface Exposition {
  name: string;
  help: string;
  type: 'histogram';
  aggregator: 'sum';
  values: { metricName: string; labels: Labels; value: number }[];
}

interface Series {
  labels: { method: string; route: string; status_code: number };
  /** Observations per bucket, not cumulative; the last slot is above every bound. */
  counts: number[];
  sum: number;
  count: number;
}

/**
 * Request latency by route, as a Prometheus histogram. The label is the route's pattern
 * (`/api/v1/stays/:id`), never the URL: an id, a query or a path nobody routes would make a
 * series per request and could carry a person's data. Unrouted requests share `unmatched`,
 * unknown methods `OTHER`, so a client cannot grow the number of series.
 *
 * It records into its own table and hands prom-client's registry the histogram at scrape time,
 * instead of a prom-client Histogram: that one validates and hashes the labels on every
 * observation, which measured here as a few microseconds of every request's CPU.
 */
@Injectable()
export class HttpMetrics {
  readonly name = 'refugio_http_request_duration_seconds';
  readonly help = 'Time to answer an HTTP request, by method, route pattern and status code';
  private readonly series = new Map<string, Series>();

  constructor(registry: Registry) {
    // Duck-typed: the registry only calls get() and reads the name.
    registry.registerMetric(this as unknown as Metric);
  }

  /** On every response: a map lookup and three additions. */
  observe(method: string, route: string | undefined, statusCode: number, ms: number): void {
    const label = METHODS.has(method) ? method : 'OTHER';
    const path = route ?? 'unmatched';
    const key = `${label} ${statusCode} ${path}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = {
        labels: { method: label, route: path, status_code: statusCode },
        counts: new Array<number>(BUCKETS.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      this.series.set(key, series);
    }
    const seconds = ms / 1000;
    let bucket = 0;
    while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]) {
      bucket++;
    }
    series.counts[bucket]++;
    series.sum += seconds;
    series.count++;
  }

  get(): Exposition {
    const values: Exposition['values'] = [];
    for (const series of this.series.values()) {
      let cumulative = 0;
      BUCKETS.forEach((bound, i) => {
        cumulative += series.counts[i];
        values.push({
          metricName: `${this.name}_bucket`,
          labels: { le: bound, ...series.labels },
          value: cumulative,
        });
      });
      values.push(
        {
          metricName: `${this.name}_bucket`,
          labels: { le: '+Inf', ...series.labels },
          value: series.count,
        },
        { metricName: `${this.name}_sum`, labels: series.labels, value: series.sum },
        { metricName: `${this.name}_count`, labels: series.labels, value: series.count },
      );
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}
