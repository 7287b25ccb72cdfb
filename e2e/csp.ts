// Collects every Content-Security-Policy violation a test's pages and workers report: the page's
// `securitypolicyviolation` events, and the browser's "Refused to …" console errors (those also come
// from the engine and service workers, whose violations never reach the document).
import type { BrowserContext, Page } from '@playwright/test';

declare global {
  interface Window {
    cspViolations?: string[];
  }
}

/** Starts collecting on `page` (before its first navigation); `violations()` lists what came so far. */
export async function watchCsp(page: Page, context: BrowserContext): Promise<() => Promise<string[]>> {
  const logged: string[] = [];
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) logged.push(message.text());
  });
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations!.push(
        `${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`,
      ),
    );
  });
  return async () => [...logged, ...(await page.evaluate(() => window.cspViolations ?? []))];
}
