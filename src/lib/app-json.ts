// JSON files the app serves itself from public/ (precached by its service worker, so they load offline),
// fetched by URL from the page or a worker.
import { EngineError } from '../engine/errors';

/** A failed fetch says which file and how to recover. */
export async function fetchAppJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new EngineError('LOAD', `${url} answered ${response.status}`, 'reload the app');
  return response.json();
}
