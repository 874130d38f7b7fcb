/**
 * scripts/dev-stack/banner.ts: what `npm start` prints once everything is up: where to open the app,
 * the sync server, the note about the development certificate, and the demo sign-ins.
 *
 * The sign-ins are derived from the seed's own definitions (scripts/db/seed/tenants.ts, users.ts),
 * so the list stays true when the demo data changes. Only password users are listed (the seed's
 * ops@ and finance@ users sign in with SSO, which the local stack does not offer).
 */
import { TENANT_DEFINITIONS } from '../db/seed/tenants.ts';
import { DEMO_PASSWORD, demoEmail } from '../db/seed/users.ts';

export interface BannerFacts {
  readonly app: { readonly kind: 'electron' } | { readonly kind: 'web'; readonly url: string };
  readonly syncUrl: string;
  readonly database: string;
}

/** The demo sign-in lines: the two to start with, then every tenant and its password users. */
export function demoSignIns(): string[] {
  const holdings = TENANT_DEFINITIONS.filter((t) => TENANT_DEFINITIONS.some((c) => c.parentSlug === t.slug));
  const lines = [`    ${demoEmail('admin', 'acme').padEnd(24)} tenant acme`];
  for (const holding of holdings) {
    const subsidiaries = TENANT_DEFINITIONS.filter((t) => t.parentSlug === holding.slug).map((t) => t.slug);
    lines.push(
      `    ${demoEmail('admin', holding.slug).padEnd(24)} tenant ${holding.slug} (a holding: also sees ${subsidiaries.join(' and ')})`,
    );
  }
  lines.push(
    `    and admin@, approver@ and viewer@<tenant>.test at every tenant: ${TENANT_DEFINITIONS.map((t) => t.slug).join(', ')}`,
  );
  return lines;
}

export function banner(facts: BannerFacts): string {
  const lines = ['', 'outpost: everything is up.', ''];
  if (facts.app.kind === 'web') {
    lines.push(
      `  Open the app:   ${facts.app.url}`,
      `  Sync server:    ${facts.syncUrl}`,
      `  Database:       ${facts.database}`,
      '',
      '  The first time, the browser warns about the development certificate (self-signed, for',
      `  localhost only): accept it once at ${facts.app.url}; that also covers the sync server.`,
      '  Electron is not installed on this machine, so the app runs in the browser host.',
    );
  } else {
    lines.push(
      '  The app opens in an Electron window.',
      `  Sync server:    ${facts.syncUrl}`,
      `  Database:       ${facts.database}`,
    );
  }
  lines.push(
    '',
    `  Demo sign-ins, password ${DEMO_PASSWORD} (the tenant goes in the sign-in form):`,
    ...demoSignIns(),
    '',
    '  Ctrl+C stops everything.',
    '',
  );
  return lines.join('\n');
}
