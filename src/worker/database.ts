// The worker's one IndexedDB connection, shared by the MEMOIR and SERAC sessions: opened on first use;
// a failed open (storage refused, a newer schema) is reported to that caller and tried again by the next.
import { EditscopeDB } from '../store/db';

export type Database = () => Promise<EditscopeDB>;

export function lazyDatabase(): Database {
  let db: Promise<EditscopeDB> | null = null;
  return () => {
    const opening = (db ??= EditscopeDB.open());
    opening.catch(() => {
      if (db === opening) db = null;
    });
    return opening;
  };
}
