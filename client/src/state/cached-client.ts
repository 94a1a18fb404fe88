/** Prefix of the service worker's caches (client/build/pwa-plugin.ts names them `<prefix><build hash>`). */
export const SHELL_CACHE_PREFIX = 'roomtone-shell-';

/**
 * Forgets the installed client: unregisters the service worker and deletes its caches,
 * so the next load fetches the page that matches the server. Used when the server
 * refuses this page's protocol version (PROTOCOL_MISMATCH): a page kept by the cache
 * across an update is exactly the page that no longer fits.
 */
export async function clearCachedClient(): Promise<void> {
  try {
    const registrations = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistrations() : [];
    await Promise.all(registrations.map((r) => r.unregister()));
  } catch {
    /* no service worker here (an untrusted certificate, a private window) */
  }
  try {
    const keys = 'caches' in globalThis ? await caches.keys() : [];
    await Promise.all(keys.filter((k) => k.startsWith(SHELL_CACHE_PREFIX)).map((k) => caches.delete(k)));
  } catch {
    /* CacheStorage needs a secure context */
  }
}
