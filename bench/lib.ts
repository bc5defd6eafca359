// Types shared by the benchmark scenarios (from the common brief); the lead's bench/run.ts
// provides the implementation. Written here only because this branch had no bench/lib.ts.
export type StaffRole = 'admin' | 'admission_officer' | 'house_coordinator';

export interface LoadOptions {
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  requests?: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (request: Record<string, unknown>, context: Record<string, unknown>) => unknown;
  }[];
  connections?: number;
  durationSeconds?: number;
  amount?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  total: number;
}

export interface BenchContext {
  baseUrl: string;
  databaseUrl: string;
  env: Record<string, string>;
  /** A short run (CI smoke); optional so that either runner fits. */
  quick?: boolean;
  token(role: StaffRole, houseId?: string): Promise<string>;
  referrerKey(): Promise<string>;
  load(options: LoadOptions): Promise<LoadResult>;
}

export interface ScenarioResult {
  name: string;
  requestsPerSecond?: number;
  p50Ms?: number;
  p99Ms?: number;
  errors?: number;
  notes?: Record<string, string | number | boolean>;
}
