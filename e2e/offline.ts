// Cutting the network the way a user's offline visit does: wait until the service worker has
// precached the app and controls the page, then go offline and reload from the precache.
import type { BrowserContext, Page } from '@playwright/test';

export async function reloadOffline(page: Page, context: BrowserContext): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
      );
    }
  });
  await context.setOffline(true);
  await page.reload();
}
