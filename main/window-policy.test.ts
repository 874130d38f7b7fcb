import { describe, expect, it } from 'vitest';
import { isAppUrl, isExternalLink } from './window-policy.ts';

describe('window policy', () => {
  it('accepts only packaged pages when there is no dev server', () => {
    expect(isAppUrl('file:///opt/outpost/resources/app/out/renderer/index.html', undefined)).toBe(true);
    expect(isAppUrl('https://evil.example/', undefined)).toBe(false);
    expect(isAppUrl('not a url', undefined)).toBe(false);
  });

  it('accepts only the dev server origin in development', () => {
    expect(isAppUrl('http://localhost:5173/#/home', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('file:///etc/passwd', 'http://localhost:5173')).toBe(false);
  });

  it('sends only web and mail links to the system browser', () => {
    expect(isExternalLink('https://example.com/docs')).toBe(true);
    expect(isExternalLink('mailto:ops@example.com')).toBe(true);
    expect(isExternalLink('file:///etc/passwd')).toBe(false);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
  });
});
