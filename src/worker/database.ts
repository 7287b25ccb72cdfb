// The worker's one IndexedDB connection, shared by the MEMOIR and SERAC sessions: opened on first use;
// a failed open (storage refused, a newer schema) is reported to that caller and tried again by the next.
import { lazy } from '../lib/lazy';
import { EditscopeDB } from '../store/db';

export type Database = () => Promise<EditscopeDB>;

export function lazyDatabase(): Database {
  return lazy(() => EditscopeDB.open());
}
