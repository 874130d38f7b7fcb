/**
 * scripts/db/seed/vocabulary.ts: the word lists the seed draws names, addresses and phrases from.
 * Customer e-mail addresses use reserved example domains (RFC 2606), so seeded data never names a
 * real mailbox.
 */
import type { Rng } from './random.ts';

export const FIRST_NAMES = [
  'Maya',
  'Jordan',
  'Sam',
  'Priya',
  'Lukas',
  'Chloe',
  'Mateo',
  'Aisha',
  'Noah',
  'Hannah',
  'Kenji',
  'Olivia',
  'Ravi',
  'Sofia',
  'Ethan',
  'Amara',
  'Felix',
  'Grace',
  'Omar',
  'Isla',
  'Leon',
  'Zara',
  'Daniel',
  'Mei',
  'Tomas',
  'Freya',
  'Arjun',
  'Lena',
  'Caleb',
  'Nina',
  'Elias',
  'Ruby',
  'Hugo',
  'Yara',
  'Oscar',
  'Alice',
  'Ibrahim',
  'Emma',
  'Jonas',
  'Leila',
] as const;

export const LAST_NAMES = [
  'Chen',
  'Patel',
  'Rivera',
  'Schmidt',
  'Nguyen',
  'Okafor',
  'Larsen',
  'Garcia',
  'Kowalski',
  'Tanaka',
  'Murphy',
  'Haddad',
  'Fischer',
  'Silva',
  'Brown',
  'Johansson',
  'Kim',
  'Rossi',
  'Novak',
  'Ahmed',
  'Walker',
  'Dubois',
  'Costa',
  'Müller',
  "O'Brien",
  'Sato',
  'Mendes',
  'Wright',
  'Ali',
  'Jensen',
] as const;

export const EXAMPLE_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;

export const CLIENT_NAMES = [
  'Harbour Construction',
  'Blue Fern Café',
  'Summit Dental Group',
  'Coastal Freight Co.',
  'Brightside Solar',
  'Redwood Legal',
  'Copperleaf Bakery',
  'Northgate Fitness',
  'Silverline Plumbing',
  'Kestrel Architects',
  'Granite Peak Builders',
  'Willow & Sage Florists',
  'Atlas Logistics',
  'Pinecrest Veterinary',
  'Lumen Studios',
  'Ironbark Joinery',
  'Seaside Wellness',
  'Orchard Lane Catering',
  'Meridian Accounting',
  'Quarry Hill Landscaping',
] as const;

export const CLIENT_INDUSTRIES = [
  'Construction',
  'Hospitality',
  'Healthcare',
  'Logistics',
  'Energy',
  'Professional services',
  'Food & beverage',
  'Fitness',
  'Trades',
  'Architecture',
  'Retail',
  'Veterinary',
  'Media',
] as const;

export const USER_AGENTS = [
  'Outpost/0.1.0 Electron/45.4.1 (Macintosh; Intel Mac OS X 14_6)',
  'Outpost/0.1.0 Electron/45.4.1 (Windows NT 10.0; Win64; x64)',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
] as const;

export const CITIES = [
  'Denver',
  'Austin',
  'Berlin',
  'Munich',
  'Sydney',
  'Melbourne',
  'Brisbane',
  'Toronto',
  'London',
  'Portland',
] as const;

export function personName(rng: Rng): { first: string; last: string; full: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  return { first, last, full: `${first} ${last}` };
}

/** A customer e-mail address on a reserved example domain. */
export function customerEmail(rng: Rng): string {
  const { first, last } = personName(rng);
  const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
  return `${local}${rng.chance(0.4) ? rng.int(1, 99) : ''}@${rng.pick(EXAMPLE_DOMAINS)}`;
}

/** An address from the documentation ranges (RFC 5737 / RFC 3849): never a real host. */
export function documentationIp(rng: Rng): string {
  if (rng.chance(0.15)) return `2001:db8::${rng.int(1, 0xffff).toString(16)}`;
  const block = rng.pick(['192.0.2', '198.51.100', '203.0.113']);
  return `${block}.${rng.int(1, 254)}`;
}

/** A Fernet-looking token (demo stand-in for an encrypted secret; decrypts to nothing). */
export function fernetToken(rng: Rng, bytes = 96): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return `gAAAAAB${rng.token(Math.ceil((bytes * 4) / 3), alphabet)}==`;
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export function money(x: number, decimals = 2): string {
  return x.toFixed(decimals);
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** NetSuite's accounting period name, e.g. "Nov 2026". */
export function postingPeriod(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "2026-11" */
export function monthKey(d: Date): string {
  return d.toISOString().slice(0, 7);
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
