// What a failing disk or a foreign script can leave in the app's IndexedDB: one field of every record of
// a store overwritten with a value of the wrong type, written in the page (the app's own origin).
import type { Page } from '@playwright/test';

/** Overwrites `field` with `value` in every record of `store`; resolves to those records' modelIds. */
export async function overwriteStoredField(
  page: Page,
  store: string,
  field: string,
  value: unknown,
): Promise<string[]> {
  return page.evaluate(
    ({ store, field, value }) =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('editscope');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(store, 'readwrite');
          const all = tx.objectStore(store).getAll();
          all.onsuccess = () => {
            const records = all.result as Record<string, unknown>[];
            for (const r of records) tx.objectStore(store).put({ ...r, [field]: value });
            tx.oncomplete = () => resolve(records.map((r) => String(r.modelId)));
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { store, field, value },
  );
}
