import { Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { Counter, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { CallbacksRepository } from '../callbacks/callbacks.repository';
import { Clock } from '../common/clock';
import { Config } from '../config/config';
import { FollowUpsMonitor } from '../follow-ups/follow-ups.monitor';
import { OccupancyRepository } from '../occupancy/occupancy.repository';

/** A scrape never waits longer than this for one source; the others still answer. */
const COLLECT_TIMEOUT_MS = 3000;

type Collector = 'occupancy' | 'queues' | 'outbox';

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The gauges of GET /metrics, read fresh at each scrape (nothing runs between scrapes). Labels
 * are house codes, queue names and states, outbox table names: never a person, a house's name
 * or address, or an id.
 */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger(MetricsService.name);
  private readonly failing = new Set<Collector>();
  private readonly pool: Pool;

  private readonly capacity: Gauge<'house'>;
  private readonly occupied: Gauge<'house'>;
  private readonly held: Gauge<'house'>;
  private readonly outOfService: Gauge<'house'>;
  private readonly queueJobs: Gauge<'queue' | 'state'>;
  private readonly outboxPending: Gauge<'outbox'>;
  private readonly outboxLag: Gauge<'outbox'>;
  private readonly collectorUp: Gauge<'collector'>;
  private readonly callbacksPending: Gauge;
  private readonly callbacksLag: Gauge;

  constructor(
    private readonly registry: Registry,
    private readonly occupancy: OccupancyRepository,
    private readonly followUps: FollowUpsMonitor,
    private readonly clock: Clock,
    private readonly callbacks: CallbacksRepository,
    dataSource: DataSource,
    config: Config,
  ) {
    this.pool = (dataSource.driver as PostgresDriver).master as Pool;
    const registers = [registry];
    const gauge = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Gauge<L>({ name, help, labelNames, registers });

    this.capacity = gauge('refugio_house_capacity_beds', 'Beds in service, per house code', [
      'house',
    ]);
    this.occupied = gauge('refugio_house_occupied_beds', 'Beds held by a person, per house code', [
      'house',
    ]);
    this.held = gauge(
      'refugio_house_held_beds',
      'Beds kept by a live transport hold, per house code',
      ['house'],
    );
    this.outOfService = gauge(
      'refugio_house_out_of_service_beds',
      'Beds taken out of service, per house code',
      ['house'],
    );
    this.queueJobs = gauge('refugio_queue_jobs', 'BullMQ jobs per queue and state', [
      'queue',
      'state',
    ]);
    this.outboxPending = gauge(
      'refugio_outbox_pending_rows',
      'Scheduled follow-ups and term alerts the outbox relay has not yet put into Redis',
      ['outbox'],
    );
    this.outboxLag = gauge(
      'refugio_outbox_lag_seconds',
      'Age of the oldest outbox row not yet put into Redis (0 when none)',
      ['outbox'],
    );
    this.callbacksPending = gauge(
      'refugio_callbacks_pending_events',
      'Status callbacks to referrers not yet delivered (first attempt or retrying)',
      [],
    );
    this.callbacksLag = gauge(
      'refugio_callbacks_lag_seconds',
      'Age of the oldest status callback not yet delivered (0 when none)',
      [],
    );
    this.collectorUp = gauge(
      'refugio_metrics_collector_up',
      'Whether the last scrape could read this source (1) or not (0)',
      ['collector'],
    );
    const pool = this.pool;
    gauge(
      'refugio_db_pool_max_connections',
      'PostgreSQL connections this process may open',
      [],
    ).set(config.database.poolSize);
    new Gauge({
      name: 'refugio_db_pool_connections',
      help: 'PostgreSQL connections of this process: open (total) and idle',
      labelNames: ['state'],
      registers,
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
      },
    });
    // The process, read at scrape time only. Not prom-client's collectDefaultMetrics: its GC
    // observer and event-loop monitor run all the time, which cost requests CPU here.
    let cpuSeconds = 0;
    new Counter({
      name: 'process_cpu_seconds_total',
      help: 'User and system CPU time of this process, in seconds',
      registers,
      collect() {
        const { user, system } = process.cpuUsage();
        const total = (user + system) / 1e6;
        this.inc(total - cpuSeconds);
        cpuSeconds = total;
      },
    });
    new Gauge({
      name: 'process_resident_memory_bytes',
      help: 'Resident memory of this process, in bytes',
      registers,
      collect() {
        this.set(process.memoryUsage.rss());
      },
    });
    new Gauge({
      name: 'nodejs_heap_size_used_bytes',
      help: 'V8 heap in use, in bytes',
      registers,
      collect() {
        this.set(process.memoryUsage().heapUsed);
      },
    });
    new Gauge({
      name: 'refugio_db_pool_waiting_requests',
      help: 'Queries of this process waiting for a free PostgreSQL connection',
      registers,
      collect() {
        this.set(pool.waitingCount);
      },
    });
  }

  /** The metrics in Prometheus's text format. */
  async render(): Promise<string> {
    await Promise.all([
      this.collect('occupancy', () => this.collectOccupancy()),
      this.collect('queues', () => this.collectQueues()),
      this.collect('outbox', () => this.collectOutbox()),
    ]);
    return this.registry.metrics();
  }

  private async collect(name: Collector, work: () => Promise<void>): Promise<void> {
    try {
      await withTimeout(work(), COLLECT_TIMEOUT_MS);
      this.collectorUp.set({ collector: name }, 1);
      this.failing.delete(name);
    } catch (error) {
      this.collectorUp.set({ collector: name }, 0);
      // Once per outage: Prometheus scrapes every few seconds.
      if (!this.failing.has(name)) {
        this.failing.add(name);
        this.logger.warn(`Metrics could not read ${name}: ${(error as Error).message}`);
      }
    }
  }

  private async collectOccupancy(): Promise<void> {
    const houses = await this.occupancy.current(null, this.clock.now());
    // Reset first, so that a house that is gone leaves no stale series.
    for (const gauge of [this.capacity, this.occupied, this.held, this.outOfService]) {
      gauge.reset();
    }
    for (const house of houses) {
      this.capacity.set({ house: house.code }, house.capacity);
      this.occupied.set({ house: house.code }, house.occupied);
      this.held.set({ house: house.code }, house.held);
      this.outOfService.set({ house: house.code }, house.outOfService);
    }
  }

  private async collectQueues(): Promise<void> {
    for (const depth of await this.followUps.queueDepths()) {
      this.queueJobs.set({ queue: depth.queue, state: depth.state }, depth.jobs);
    }
  }

  private async collectOutbox(): Promise<void> {
    const now = this.clock.now().getTime();
    for (const { outbox, pending, oldestCreatedAt } of await this.followUps.outboxBacklog()) {
      this.outboxPending.set({ outbox }, pending);
      this.outboxLag.set(
        { outbox },
        oldestCreatedAt ? Math.max(0, (now - oldestCreatedAt.getTime()) / 1000) : 0,
      );
    }
    const callbacks = await this.callbacks.findBacklog();
    this.callbacksPending.set(callbacks.pending);
    this.callbacksLag.set(
      callbacks.oldestCreatedAt
        ? Math.max(0, (now - callbacks.oldestCreatedAt.getTime()) / 1000)
        : 0,
    );
  }
}
