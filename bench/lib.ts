// The scenario contract of `npm run bench` (written by the lead in main); only the types are
// here so this branch compiles on its own. The lead's bench/lib.ts replaces this file.
export interface LoadOptions {
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  requests?: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    setupRequest?: (req: unknown) => unknown;
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
  token(
    role: 'admin' | 'admission_officer' | 'house_coordinator',
    houseId?: string,
  ): Promise<string>;
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
