/**
 * scripts/db/seed/users.ts: each tenant's users, custom roles and role assignments.
 *
 * Per tenant (slug s):
 *   admin@s.test     users.role admin     system role admin      password `outpost-demo`
 *   approver@s.test  users.role manager   system role approver   password `outpost-demo`
 *   viewer@s.test    users.role viewer    system role viewer     password `outpost-demo`
 *   ops@s.test       users.role operator  viewer + custom role operations   SSO only (no password)
 *   finance@s.test   users.role editor    viewer + custom role finance      SSO only (no password)
 *   sync-bot@s.test  service_account, operator, custom role operations      no password
 * users.role is the coarse access level (003/004 vocabulary: an approver is a `manager`);
 * user_roles carry the RBAC assignments that authorisation uses.
 *
 * Security note: the demo passwords are hashed with argon2id (sync-server/auth/passwords.ts) and a
 * salt derived from the seed, so the rows are reproducible. That is acceptable only for demo data:
 * real sign-ups get random salts.
 */
import { hashPassword, PASSWORD_ALGORITHM } from '../../../sync-server/auth/passwords.ts';
import { DAY, HOUR, type SeedContext } from './context.ts';
import { pgArray } from './copy.ts';
import type { DemoUserKind, TenantRef, TenantUsers, TenantWorld, UserRef } from './model.ts';
import { CUSTOM_ROLES, SYSTEM_ROLE_IDS } from './reference.ts';
import { personName } from './vocabulary.ts';

export const DEMO_PASSWORD = 'outpost-demo';

interface UserSpec {
  readonly kind: DemoUserKind;
  readonly local: string;
  readonly role: 'admin' | 'manager' | 'viewer' | 'operator' | 'editor';
  readonly actorType: 'user' | 'service_account';
  readonly login: 'password' | 'sso' | 'none';
  readonly systemRole: keyof typeof SYSTEM_ROLE_IDS | null;
  readonly customRole: keyof typeof CUSTOM_ROLES | null;
}

const USER_SPECS: readonly UserSpec[] = [
  {
    kind: 'admin',
    local: 'admin',
    role: 'admin',
    actorType: 'user',
    login: 'password',
    systemRole: 'admin',
    customRole: null,
  },
  {
    kind: 'approver',
    local: 'approver',
    role: 'manager',
    actorType: 'user',
    login: 'password',
    systemRole: 'approver',
    customRole: null,
  },
  {
    kind: 'viewer',
    local: 'viewer',
    role: 'viewer',
    actorType: 'user',
    login: 'password',
    systemRole: 'viewer',
    customRole: null,
  },
  {
    kind: 'ops',
    local: 'ops',
    role: 'operator',
    actorType: 'user',
    login: 'sso',
    systemRole: 'viewer',
    customRole: 'operations',
  },
  {
    kind: 'finance',
    local: 'finance',
    role: 'editor',
    actorType: 'user',
    login: 'sso',
    systemRole: 'viewer',
    customRole: 'finance',
  },
  {
    kind: 'bot',
    local: 'sync-bot',
    role: 'operator',
    actorType: 'service_account',
    login: 'none',
    systemRole: null,
    customRole: 'operations',
  },
];

export function demoEmail(kind: 'admin' | 'approver' | 'viewer', slug: string): string {
  return `${kind}@${slug}.test`;
}

export async function seedUsers(ctx: SeedContext, tenants: readonly TenantRef[]): Promise<TenantWorld[]> {
  const users = ctx.writer('users', [
    'id',
    'tenant_id',
    'email',
    'hashed_password',
    'password_algorithm',
    'full_name',
    'first_name',
    'last_name',
    'picture_url',
    'actor_type',
    'role',
    'keycloak_id',
    'mfa_enabled',
    'mfa_secret',
    'is_active',
    'last_login_at',
    'created_at',
    'updated_at',
  ]);
  const worlds: TenantWorld[] = [];
  const hashes = new Map<string, Promise<string>>();
  for (const tenant of tenants) {
    for (const spec of USER_SPECS) {
      if (spec.login !== 'password') continue;
      const email = `${spec.local}@${tenant.slug}.test`;
      const salt = ctx.rng(`password-salt:${email}`).bytes(16);
      hashes.set(email, hashPassword(DEMO_PASSWORD, { salt }));
    }
  }
  for (const tenant of tenants) {
    const rng = ctx.rng(`users:${tenant.slug}`);
    const byKind = new Map<DemoUserKind, UserRef>();
    for (const [i, spec] of USER_SPECS.entries()) {
      const id = rng.uuid();
      const email = `${spec.local}@${tenant.slug}.test`;
      const name =
        spec.actorType === 'service_account'
          ? { first: 'Sync', last: 'Bot', full: 'Sync Bot' }
          : personName(rng);
      const createdAt = new Date(tenant.createdAt.getTime() + i * 2 * HOUR + rng.int(0, 50) * 60_000);
      const hashed = spec.login === 'password' ? await hashes.get(email) : undefined;
      const lastLogin = spec.actorType === 'user' ? ctx.ago(rng.between(0.5, 72) * HOUR) : null;
      await users.add({
        id,
        tenant_id: tenant.id,
        email,
        hashed_password: hashed ?? null,
        password_algorithm: hashed ? PASSWORD_ALGORITHM : null,
        full_name: name.full,
        first_name: name.first,
        last_name: name.last,
        picture_url:
          spec.actorType === 'user' ? `https://avatars.example.com/${tenant.slug}/${spec.local}.png` : null,
        actor_type: spec.actorType,
        role: spec.role,
        keycloak_id: spec.login === 'sso' ? `kc-${rng.uuid()}` : null,
        mfa_enabled: spec.kind === 'admin' && tenant.plan === 'pro',
        mfa_secret:
          spec.kind === 'admin' && tenant.plan === 'pro'
            ? rng.token(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')
            : null,
        is_active: true,
        last_login_at: lastLogin,
        created_at: createdAt,
        updated_at: ctx.after(createdAt, rng.between(1, 30) * DAY),
      });
      byKind.set(spec.kind, {
        id,
        tenantId: tenant.id,
        kind: spec.kind,
        email,
        fullName: name.full,
        createdAt,
      });
    }
    const get = (k: DemoUserKind): UserRef => byKind.get(k) as UserRef;
    const tenantUsers: TenantUsers = {
      admin: get('admin'),
      approver: get('approver'),
      viewer: get('viewer'),
      ops: get('ops'),
      finance: get('finance'),
      bot: get('bot'),
      all: [...byKind.values()],
    };
    worlds.push({
      tenant,
      users: tenantUsers,
      connections: [],
      jobs: [],
      assistants: [],
      workItems: [],
      personalities: [],
      widgets: [],
      meetings: [],
      endUsers: [],
      sessions: [],
      assistantMessages: [],
      workspaces: [],
      conversationLogs: [],
      clientKpis: [],
      documents: [],
      dailySales: [],
    });
  }
  await ctx.finish(users);
  await seedRoles(ctx, worlds);
  return worlds;
}

async function seedRoles(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const { rows: permissionRows } = await ctx.client.query<{ id: string; code: string }>(
    'SELECT id, code FROM permissions',
  );
  const permissionId = new Map(permissionRows.map((r) => [r.code, r.id]));
  const roles = ctx.writer('roles', [
    'id',
    'tenant_id',
    'name',
    'description',
    'permissions',
    'created_at',
    'updated_at',
  ]);
  const grants = ctx.writer('role_permissions', ['role_id', 'permission_id', 'tenant_id', 'created_at']);
  const assignments = ctx.writer('user_roles', [
    'id',
    'tenant_id',
    'user_id',
    'role_id',
    'role_scope_id',
    'assigned_by',
    'assigned_at',
  ]);
  const customRoleIds = new Map<string, string>();
  for (const world of worlds) {
    const rng = ctx.rng(`roles:${world.tenant.slug}`);
    const at = new Date(world.users.admin.createdAt.getTime() + HOUR);
    for (const [name, role] of Object.entries(CUSTOM_ROLES)) {
      const id = rng.uuid();
      customRoleIds.set(`${world.tenant.id}:${name}`, id);
      await roles.add({
        id,
        tenant_id: world.tenant.id,
        name,
        description: role.description,
        permissions: pgArray(role.permissions),
        created_at: at,
        updated_at: at,
      });
      for (const code of role.permissions) {
        const pid = permissionId.get(code);
        if (!pid) throw new Error(`custom role ${name}: permission ${code} is not in the catalogue (0060)`);
        await grants.add({ role_id: id, permission_id: pid, tenant_id: world.tenant.id, created_at: at });
      }
    }
  }
  await ctx.finish(roles, grants);
  for (const world of worlds) {
    const rng = ctx.rng(`user-roles:${world.tenant.slug}`);
    for (const spec of USER_SPECS) {
      const user = world.users[spec.kind];
      const assignedBy = spec.kind === 'admin' ? null : world.users.admin.id;
      const at = new Date(user.createdAt.getTime() + 5 * 60_000);
      if (spec.systemRole) {
        await assignments.add({
          id: rng.uuid(),
          tenant_id: world.tenant.id,
          user_id: user.id,
          role_id: SYSTEM_ROLE_IDS[spec.systemRole],
          role_scope_id: '00000000-0000-0000-0000-000000000000',
          assigned_by: assignedBy,
          assigned_at: at,
        });
      }
      if (spec.customRole) {
        const roleId = customRoleIds.get(`${world.tenant.id}:${spec.customRole}`);
        await assignments.add({
          id: rng.uuid(),
          tenant_id: world.tenant.id,
          user_id: user.id,
          role_id: roleId,
          role_scope_id: world.tenant.id,
          assigned_by: assignedBy,
          assigned_at: at,
        });
      }
      ctx.audit({
        tenantId: world.tenant.id,
        at: user.createdAt,
        actorType: spec.kind === 'admin' ? 'system' : 'user',
        actorId: spec.kind === 'admin' ? null : world.users.admin.id,
        category: 'identity',
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        after: { email: user.email, role: spec.role, actor_type: spec.actorType },
        status: 'success',
      });
    }
  }
  await ctx.finish(assignments);
}
