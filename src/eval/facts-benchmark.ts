// The bundled facts benchmark (ZsRE-like records of what editscope-facts was taught; public/benchmarks/
// README.md) as the app loads it: the Benchmark view's runs and the Scope view's probe suggestions.
import { fetchAppJson } from '../lib/app-json';
import { parseRecords, type BenchRecord } from './records';

export const FACTS_BENCHMARK_URL = '/benchmarks/facts-edits.json';

export async function fetchFactsBenchmark(): Promise<BenchRecord[]> {
  return parseRecords(await fetchAppJson(FACTS_BENCHMARK_URL), FACTS_BENCHMARK_URL);
}
