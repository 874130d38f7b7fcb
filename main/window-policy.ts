/**
 * main/window-policy.ts: what a renderer window may load, open and run.
 *
 * Guarantees: the app's pages come only from the packaged renderer (file:) or, in development, the
 * electron-vite dev server origin; every other navigation is cancelled; new windows are never created
 * (http/https links go to the system browser, anything else is dropped). The Content Security
 * Policy itself is common/host/content-security-policy.ts.
 */

/** True when `url` is a page of this app (packaged file or the dev server origin). */
export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (devServerUrl) return parsed.origin === new URL(devServerUrl).origin;
  return parsed.protocol === 'file:';
}

/** True when `url` may be handed to the system browser. */
export function isExternalLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' || protocol === 'mailto:';
  } catch {
    return false;
  }
}
