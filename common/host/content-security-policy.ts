/**
 * common/host/content-security-policy.ts: the one Content Security Policy of the renderer.
 *
 * Electron's main process sends it as a response header; the browser host's production build puts
 * it in a meta tag. Scripts and workers come only from the app itself; network access is limited to
 * the app, loopback sync servers in development, and HTTPS sync servers.
 */
export const CONTENT_SECURITY_POLICY_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self' http://127.0.0.1:* https://127.0.0.1:* http://localhost:* https://localhost:* https:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** Header form; `frame-ancestors` is only valid in a header, never in a meta tag. */
export const CONTENT_SECURITY_POLICY_HEADER = [
  ...CONTENT_SECURITY_POLICY_DIRECTIVES,
  "frame-ancestors 'none'",
].join('; ');

/** Meta-tag form for the browser host's index.html. */
export const CONTENT_SECURITY_POLICY_META = CONTENT_SECURITY_POLICY_DIRECTIVES.join('; ');
