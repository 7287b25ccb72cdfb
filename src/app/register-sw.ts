// Registers the PWA service worker (precached shell, ORT wasm and bundled models) in production
// builds. `?sw=off` skips it, for tests that must see the network.
import { registerSW } from 'virtual:pwa-register';

export function registerServiceWorker(): void {
  if (import.meta.env.DEV || new URLSearchParams(location.search).get('sw') === 'off') return;
  registerSW({ immediate: true });
}
