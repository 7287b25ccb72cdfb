// The worker's one IndexedDB connection, shared by the MEMOIR and SERAC sessions: opened on first use;
// a failed open (storage refused, a newer schema) is reported to that caller and tried again by the next.
// A schema upgrade that an older tab's connection blocks, and this connection closing for another tab's
// upgrade, are announced on the store channel (store/tabs.ts), so each tab's Edit view says what to do.
import { lazy } from '../lib/lazy';
import { EditscopeDB } from '../store/db';
import { DB_NAME } from '../store/schema';
import { storeChannel, type StoreChannel } from '../store/tabs';

export type Database = () => Promise<EditscopeDB>;

export function lazyDatabase(channel: StoreChannel = storeChannel()): Database {
  return lazy(() =>
    EditscopeDB.open(DB_NAME, {
      onBlocked: () => channel.post({ type: 'upgrade-blocked' }),
      onBlocking: () => channel.post({ type: 'closed-for-upgrade' }),
    }),
  );
}
