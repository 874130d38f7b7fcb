/**
 * scripts/db/seed/auth-security.ts: sign-in state and security records of each tenant: access
 * policies, Auth.js accounts/sessions/verification tokens, live sessions, trusted devices, SSO,
 * API keys, security events and GDPR data requests.
 *
 * Security note: every token, hash and "encrypted" value here is random demo material from the
 * seeded PRNG (API key hashes are SHA-256 of random keys that are then discarded); none unlocks
 * anything. These columns are server-only (server_only_columns) and never reach a client.
 */
import { createHash } from 'node:crypto';
import { DAY, HOUR, MINUTE, type SeedContext } from './context.ts';
import { pgArray } from './copy.ts';
import type { TenantWorld } from './model.ts';
import { documentationIp, fernetToken, USER_AGENTS } from './vocabulary.ts';

const POLICIES = [
  {
    name: 'data-residency',
    description: 'Tenant data stays in its home region; exports require admin:tenant',
    statements: [
      { effect: 'deny', action: 'commerce:export', condition: { region_not: 'home' } },
      { effect: 'allow', action: 'commerce:export', principal: 'role:admin' },
    ],
  },
  {
    name: 'posting-limits',
    description: 'Journal entries above the limit need an approval before they are posted to NetSuite',
    statements: [
      { effect: 'require_approval', action: 'netsuite:write', condition: { amount_gt: 10000 } },
      { effect: 'deny', action: 'netsuite:write', condition: { period_closed: true } },
    ],
  },
  {
    name: 'assistant-tooling',
    description: 'Assistants may only run read-only SuiteQL and invoke allow-listed MCP tools',
    statements: [
      { effect: 'allow', action: 'mcp_tools:invoke', resource: ['suiteql.read', 'docs.search'] },
      { effect: 'deny', action: 'mcp_tools:invoke', resource: ['record.delete'] },
    ],
  },
];

const SECURITY_EVENTS = [
  ['login.failed', 'low'],
  ['login.failed_repeatedly', 'medium'],
  ['mfa.challenge_failed', 'medium'],
  ['password.reset_requested', 'low'],
  ['session.revoked', 'low'],
  ['api_key.used_from_new_ip', 'medium'],
  ['sso.assertion_rejected', 'high'],
  ['permission.denied', 'low'],
  ['impossible_travel', 'high'],
] as const;

export async function seedAuthSecurity(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const policies = ctx.writer('policies', [
    'id',
    'tenant_id',
    'name',
    'description',
    'statements',
    'is_active',
    'created_at',
    'updated_at',
  ]);
  const accounts = ctx.writer('accounts', [
    'id',
    'tenant_id',
    'user_id',
    'type',
    'provider',
    'provider_account_id',
    'access_token',
    'refresh_token',
    'id_token',
    'expires_at',
    'token_type',
    'scope',
    'session_state',
    'created_at',
    'updated_at',
  ]);
  const authSessions = ctx.writer('auth_sessions', [
    'session_token',
    'tenant_id',
    'user_id',
    'expires',
    'ip_address',
    'user_agent',
    'created_at',
  ]);
  const verification = ctx.writer('verification_tokens', ['identifier', 'token', 'expires']);
  const activeSessions = ctx.writer('active_sessions', [
    'id',
    'tenant_id',
    'user_id',
    'token',
    'device_info',
    'ip_address',
    'last_activity_at',
    'created_at',
  ]);
  const devices = ctx.writer('trusted_devices', [
    'id',
    'tenant_id',
    'user_id',
    'device_fingerprint',
    'device_name',
    'trusted_at',
    'created_at',
  ]);
  const sso = ctx.writer('sso_configurations', [
    'id',
    'tenant_id',
    'provider',
    'protocol',
    'metadata',
    'client_secret_encrypted',
    'is_active',
    'created_at',
    'updated_at',
  ]);
  const apiKeys = ctx.writer('api_keys', [
    'id',
    'tenant_id',
    'name',
    'key_type',
    'key_hash',
    'prefix',
    'permissions',
    'expires_at',
    'last_used_at',
    'created_by',
    'created_at',
    'updated_at',
  ]);
  const securityEvents = ctx.writer('security_events', [
    'id',
    'tenant_id',
    'event_type',
    'severity',
    'source',
    'details',
    'ip_address',
    'created_at',
  ]);
  const dataRequests = ctx.writer('data_requests', [
    'id',
    'tenant_id',
    'user_id',
    'request_type',
    'status',
    'export_url',
    'completed_at',
    'created_at',
    'updated_at',
  ]);

  for (const world of worlds) {
    const { tenant, users } = world;
    const rng = ctx.rng(`auth:${tenant.slug}`);
    const since = tenant.createdAt.getTime();
    const span = ctx.anchorMs - since;
    const at = (fraction: number): Date => new Date(since + span * fraction);

    for (const policy of POLICIES) {
      const created = at(rng.between(0.01, 0.1));
      await policies.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        name: policy.name,
        description: policy.description,
        statements: policy.statements,
        is_active: true,
        created_at: created,
        updated_at: ctx.after(created, rng.between(0, 20) * DAY),
      });
    }

    const idp = tenant.country === 'DE' ? 'azure-ad' : 'okta';
    for (const user of [users.ops, users.finance]) {
      const created = new Date(user.createdAt.getTime() + 10 * MINUTE);
      await accounts.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        user_id: user.id,
        type: 'oidc',
        provider: idp,
        provider_account_id: `${rng.int(100000000, 999999999)}${rng.int(100000, 999999)}`,
        access_token: fernetToken(rng),
        refresh_token: fernetToken(rng),
        id_token: fernetToken(rng, 180),
        expires_at: Math.floor((ctx.anchorMs + rng.int(10, 55) * MINUTE) / 1000),
        token_type: 'Bearer',
        scope: 'openid profile email offline_access',
        session_state: rng.hex(16),
        created_at: created,
        updated_at: ctx.ago(rng.between(0.2, 30) * HOUR),
      });
    }

    for (const user of users.all) {
      if (user.kind === 'bot') continue;
      const sessionsOfUser = user.kind === 'admin' || user.kind === 'approver' ? 2 : 1;
      for (let i = 0; i < sessionsOfUser; i++) {
        const created = ctx.ago(rng.between(1, 72) * HOUR);
        const agent = rng.pick(USER_AGENTS);
        const ip = documentationIp(rng);
        await authSessions.add({
          session_token: rng.token(48),
          tenant_id: tenant.id,
          user_id: user.id,
          expires: new Date(created.getTime() + 30 * DAY),
          ip_address: ip,
          user_agent: agent,
          created_at: created,
        });
        await activeSessions.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          user_id: user.id,
          token: rng.token(64),
          device_info: {
            os: agent.includes('Windows') ? 'Windows 11' : agent.includes('Linux') ? 'Linux' : 'macOS 14',
            client: agent.startsWith('Outpost') ? 'desktop' : 'browser',
            app_version: '0.1.0',
          },
          ip_address: ip,
          last_activity_at: ctx.ago(rng.between(0, 50) * MINUTE),
          created_at: created,
        });
        ctx.audit({
          tenantId: tenant.id,
          at: created,
          actorType: 'user',
          actorId: user.id,
          category: 'auth',
          action: 'user.login',
          entityType: 'session',
          entityId: null,
          metadata: {
            method: user.kind === 'ops' || user.kind === 'finance' ? 'sso' : 'password',
            user_agent: agent,
          },
          status: 'success',
          ip,
        });
      }
      if (user.kind !== 'viewer') {
        const trusted = new Date(user.createdAt.getTime() + rng.between(1, 48) * HOUR);
        await devices.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          user_id: user.id,
          device_fingerprint: `sha256:${rng.hex(32)}`,
          device_name: rng.pick([
            'MacBook Pro (work)',
            'ThinkPad X1',
            'Surface Laptop 6',
            'Mac mini (office)',
          ]),
          trusted_at: trusted,
          created_at: trusted,
        });
      }
    }

    await verification.add({
      identifier: `new.hire@${tenant.slug}.test`,
      token: rng.hex(32),
      expires: ctx.ahead(rng.between(2, 23) * HOUR),
    });

    if (tenant.plan === 'pro') {
      const created = at(0.05);
      await sso.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        provider: idp,
        protocol: idp === 'okta' ? 'saml' : 'oidc',
        metadata:
          idp === 'okta'
            ? {
                entity_id: `http://www.okta.com/exk${rng.token(16)}`,
                sso_url: `https://${tenant.slug}.okta.example.com/app/outpost/sso/saml`,
                certificate_fingerprint: rng.hex(20),
                name_id_format: 'emailAddress',
              }
            : {
                issuer: `https://login.microsoftonline.example.com/${rng.uuid()}/v2.0`,
                client_id: rng.uuid(),
                scopes: ['openid', 'profile', 'email'],
              },
        client_secret_encrypted: idp === 'okta' ? null : fernetToken(rng),
        is_active: true,
        created_at: created,
        updated_at: ctx.after(created, 3 * DAY),
      });
    }

    const keyDefs = [
      { name: 'Website chat widget', type: 'chat_integration', perms: ['chat:write'] },
      { name: 'BI export (read-only)', type: 'standard', perms: ['commerce:read', 'kpis:read'] },
      { name: 'Warehouse webhook', type: 'standard', perms: ['jobs:write'] },
    ];
    for (const def of keyDefs) {
      const secret = `op_${def.type === 'chat_integration' ? 'chat' : 'live'}_${rng.token(40)}`;
      const created = at(rng.between(0.05, 0.6));
      await apiKeys.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        name: def.name,
        key_type: def.type,
        key_hash: createHash('sha256').update(secret).digest('hex'),
        prefix: secret.slice(0, 12),
        permissions: pgArray(def.perms),
        expires_at: rng.chance(0.5) ? ctx.ahead(rng.int(30, 365) * DAY) : null,
        last_used_at: rng.chance(0.8) ? ctx.ago(rng.between(0.1, 96) * HOUR) : null,
        created_by: users.admin.id,
        created_at: created,
        updated_at: created,
      });
      ctx.audit({
        tenantId: tenant.id,
        at: created,
        actorType: 'user',
        actorId: users.admin.id,
        category: 'security',
        action: 'api_key.created',
        entityType: 'api_key',
        entityId: null,
        metadata: { name: def.name, key_type: def.type, prefix: secret.slice(0, 12) },
        status: 'success',
      });
    }

    const eventCount = ctx.count(20 * tenant.weight);
    for (let i = 0; i < eventCount; i++) {
      const [type, severity] = rng.pick(SECURITY_EVENTS);
      const user = rng.pick(users.all.filter((u) => u.kind !== 'bot'));
      await securityEvents.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        event_type: type,
        severity,
        source: rng.pick(['auth-service', 'sync-server', 'api-gateway']),
        details: {
          user_id: user.id,
          email: user.email,
          attempts: type.startsWith('login') ? rng.int(1, 8) : undefined,
          user_agent: rng.pick(USER_AGENTS),
        },
        ip_address: documentationIp(rng),
        created_at: at(rng.between(0.02, 1)),
      });
    }

    const exportCreated = at(rng.between(0.3, 0.8));
    const exportDone = ctx.after(exportCreated, rng.between(5, 90) * MINUTE);
    await dataRequests.add({
      id: rng.uuid(),
      tenant_id: tenant.id,
      user_id: users.viewer.id,
      request_type: 'export',
      status: 'completed',
      export_url: `https://exports.outpost.example.com/${tenant.slug}/${rng.uuid()}.zip?X-Amz-Expires=604800&X-Amz-Signature=${rng.hex(32)}`,
      completed_at: exportDone,
      created_at: exportCreated,
      updated_at: exportDone,
    });
    const deletionCreated = ctx.ago(rng.between(2, 40) * HOUR);
    await dataRequests.add({
      id: rng.uuid(),
      tenant_id: tenant.id,
      user_id: null,
      request_type: 'deletion',
      status: 'pending',
      export_url: null,
      completed_at: null,
      created_at: deletionCreated,
      updated_at: deletionCreated,
    });
  }
  await ctx.finish(
    policies,
    accounts,
    authSessions,
    verification,
    activeSessions,
    devices,
    sso,
    apiKeys,
    securityEvents,
    dataRequests,
  );
}
