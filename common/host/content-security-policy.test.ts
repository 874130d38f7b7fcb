import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY_HEADER, CONTENT_SECURITY_POLICY_META } from './content-security-policy.ts';

describe('content security policy', () => {
  it('allows scripts only from the app itself, never inline or eval', () => {
    for (const policy of [CONTENT_SECURITY_POLICY_HEADER, CONTENT_SECURITY_POLICY_META]) {
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|\*)/);
      expect(policy).toContain("object-src 'none'");
    }
  });

  it('keeps frame-ancestors out of the meta form, where browsers ignore it', () => {
    expect(CONTENT_SECURITY_POLICY_HEADER).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY_META).not.toContain('frame-ancestors');
  });
});
