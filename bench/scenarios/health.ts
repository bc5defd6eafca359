import { BenchContext, ScenarioResult } from '../lib';

/** The reference every other figure is divided by: the service answering without work. */
export async function run(ctx: BenchContext): Promise<ScenarioResult[]> {
  const result = await ctx.load({ path: '/health' });
  return [{ name: 'GET /health', ...result, errors: result.errors + result.non2xx }];
}
