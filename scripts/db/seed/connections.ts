/**
 * scripts/db/seed/connections.ts: each tenant's connections to external systems (one per provider
 * the tenant uses), their sync cursors, CRM field mappings, sync logs and webhooks, and MCP
 * connectors.
 *
 * Credentials follow the seeds: 000 providers (netsuite, shopify, stripe) and 002 CRMs store a
 * Fernet blob in encrypted_credentials; 003 providers (xero, myob, hubspot, pipedrive, asana) store
 * encrypted OAuth tokens in access_token/refresh_token. All are random demo values.
 */
import { DAY, HOUR, MINUTE, type SeedContext } from './context.ts';
import type { ConnectionRef, Provider, TenantWorld } from './model.ts';
import { fernetToken } from './vocabulary.ts';

const TOKEN_PROVIDERS: readonly Provider[] = ['xero', 'myob', 'hubspot', 'pipedrive', 'asana'];
const CRM_PROVIDERS: readonly Provider[] = ['hubspot', 'salesforce', 'zendesk', 'pipedrive'];

export const CURSOR_OBJECTS: Readonly<Record<Provider, readonly string[]>> = {
  shopify: ['orders', 'refunds', 'payouts', 'customers'],
  stripe: ['charges', 'refunds', 'payouts', 'disputes', 'balance_transactions'],
  netsuite: ['transactions', 'customers', 'items', 'accounts'],
  xero: ['invoices', 'bank_transactions', 'profit_and_loss'],
  myob: ['sales', 'general_ledger'],
  hubspot: ['contacts', 'deals', 'companies'],
  salesforce: ['Account', 'Opportunity', 'Contact'],
  zendesk: ['tickets', 'users'],
  pipedrive: ['deals', 'persons', 'organizations'],
  asana: ['tasks', 'projects'],
};

const CRM_FIELDS: Readonly<Partial<Record<Provider, readonly (readonly [string, string, string | null])[]>>> =
  {
    hubspot: [
      ['email', 'customer_email', 'lowercase'],
      ['amount', 'deal_value', 'to_decimal'],
      ['dealstage', 'stage', 'map:stage'],
      ['closedate', 'closed_at', 'to_timestamp'],
      ['company', 'client_name', null],
    ],
    salesforce: [
      ['Email', 'customer_email', 'lowercase'],
      ['Amount', 'deal_value', 'to_decimal'],
      ['StageName', 'stage', 'map:stage'],
      ['CloseDate', 'closed_at', 'to_date'],
      ['Account.Name', 'client_name', null],
    ],
    zendesk: [
      ['requester.email', 'customer_email', 'lowercase'],
      ['priority', 'priority', 'map:priority'],
      ['status', 'status', null],
      ['custom_fields.order_number', 'order_number', 'trim'],
    ],
    pipedrive: [
      ['person_id.email', 'customer_email', 'lowercase'],
      ['value', 'deal_value', 'to_decimal'],
      ['stage_id', 'stage', 'map:stage'],
      ['org_id.name', 'client_name', null],
    ],
  };

function providerLabel(provider: Provider, tenantName: string): string {
  const names: Record<Provider, string> = {
    netsuite: 'NetSuite (production)',
    shopify: 'Shopify store',
    stripe: 'Stripe account',
    xero: 'Xero (management accounts)',
    myob: 'MYOB AccountRight',
    hubspot: 'HubSpot CRM',
    pipedrive: 'Pipedrive sales',
    asana: 'Asana projects',
    salesforce: 'Salesforce CRM',
    zendesk: 'Zendesk support',
  };
  return provider === 'shopify' ? `${tenantName.split(' ')[0] ?? tenantName} Shopify store` : names[provider];
}

export async function seedConnections(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const connections = ctx.writer('connections', [
    'id',
    'tenant_id',
    'provider',
    'label',
    'status',
    'auth_type',
    'encrypted_credentials',
    'encryption_key_version',
    'access_token',
    'refresh_token',
    'expires_at',
    'metadata_json',
    'last_sync_at',
    'created_by',
    'created_at',
    'updated_at',
  ]);
  const cursors = ctx.writer(
    'cursor_states',
    [
      'id',
      'tenant_id',
      'connection_id',
      'object_type',
      'cursor',
      'last_sync_at',
      'status',
      'created_at',
      'updated_at',
    ],
    { parents: [connections] },
  );
  const mappings = ctx.writer(
    'crm_field_mappings',
    [
      'id',
      'tenant_id',
      'connection_id',
      'source_field',
      'target_field',
      'transform_rule',
      'created_at',
      'updated_at',
    ],
    { parents: [connections] },
  );
  const syncLogs = ctx.writer(
    'crm_sync_logs',
    [
      'id',
      'tenant_id',
      'connection_id',
      'direction',
      'entity',
      'record_count',
      'status',
      'errors',
      'created_at',
    ],
    { parents: [connections] },
  );
  const webhooks = ctx.writer(
    'crm_webhooks',
    [
      'id',
      'tenant_id',
      'connection_id',
      'event_type',
      'url',
      'secret',
      'is_active',
      'created_at',
      'updated_at',
    ],
    { parents: [connections] },
  );
  const mcp = ctx.writer('mcp_connectors', [
    'id',
    'tenant_id',
    'name',
    'server_url',
    'auth_type',
    'oauth_client_id',
    'oauth_client_secret_encrypted',
    'oauth_token_encrypted',
    'api_key_encrypted',
    'status',
    'discovered_tools',
    'created_by',
    'created_at',
    'updated_at',
  ]);

  for (const world of worlds) {
    const { tenant, users } = world;
    const rng = ctx.rng(`connections:${tenant.slug}`);
    const start = tenant.createdAt.getTime();
    for (const [i, provider] of tenant.providers.entries()) {
      const id = rng.uuid();
      const created = new Date(start + (i + 1) * rng.between(1, 5) * HOUR);
      // One broken connection to show the error state: globex's Salesforce token was revoked on their side.
      const status = tenant.slug === 'globex' && provider === 'salesforce' ? 'error' : 'active';
      const tokenStyle = TOKEN_PROVIDERS.includes(provider);
      const lastSync =
        status === 'active' ? ctx.ago(rng.between(2, 55) * MINUTE) : ctx.ago(rng.between(30, 50) * HOUR);
      const metadata: Record<string, unknown> =
        provider === 'shopify'
          ? {
              shop_domain: `${tenant.slug}.myshopify.example.com`,
              api_version: '2026-10',
              scopes: ['read_orders', 'read_shopify_payments_payouts'],
            }
          : provider === 'stripe'
            ? {
                account_id: `acct_${rng.token(16)}`,
                livemode: true,
                default_currency: tenant.currency.toLowerCase(),
              }
            : provider === 'netsuite'
              ? {
                  account_id: tenant.netsuiteAccount,
                  role_id: 3,
                  realm: tenant.netsuiteAccount,
                  rest_domain: `${tenant.netsuiteAccount.toLowerCase()}.suitetalk.api.netsuite.example.com`,
                }
              : { workspace: `${tenant.slug}-${provider}`, region: tenant.country };
      if (status === 'error')
        metadata['last_error'] = {
          code: 'INVALID_SESSION_ID',
          message: 'Session expired or invalid',
          at: lastSync.toISOString(),
        };
      await connections.add({
        id,
        tenant_id: tenant.id,
        provider,
        label: providerLabel(provider, tenant.name),
        status,
        auth_type: provider === 'netsuite' ? 'tba' : 'oauth2',
        encrypted_credentials: tokenStyle ? null : fernetToken(rng, 160),
        encryption_key_version: tokenStyle ? null : rng.pick([1, 1, 2]),
        access_token: tokenStyle ? fernetToken(rng) : null,
        refresh_token: tokenStyle ? fernetToken(rng) : null,
        expires_at: tokenStyle ? ctx.ahead(rng.between(5, 55) * MINUTE) : null,
        metadata_json: metadata,
        last_sync_at: lastSync,
        created_by: users.admin.id,
        created_at: created,
        updated_at: lastSync,
      });
      const ref: ConnectionRef = {
        id,
        provider,
        label: providerLabel(provider, tenant.name),
        status,
        createdAt: created,
      };
      world.connections.push(ref);
      ctx.audit({
        tenantId: tenant.id,
        at: created,
        actorType: 'user',
        actorId: users.admin.id,
        category: 'connections',
        action: 'connection.created',
        entityType: 'connection',
        entityId: id,
        after: { provider, status: 'active', auth_type: provider === 'netsuite' ? 'tba' : 'oauth2' },
        status: 'success',
      });
      if (status === 'error') {
        ctx.audit({
          tenantId: tenant.id,
          at: lastSync,
          actorType: 'system',
          actorId: null,
          category: 'connections',
          action: 'connection.failed',
          entityType: 'connection',
          entityId: id,
          before: { status: 'active' },
          after: { status: 'error' },
          metadata: { error: 'INVALID_SESSION_ID' },
          status: 'error',
        });
      }

      for (const objectType of CURSOR_OBJECTS[provider]) {
        const cursorAt = status === 'active' ? ctx.ago(rng.between(2, 90) * MINUTE) : lastSync;
        const cursor =
          provider === 'stripe'
            ? `${rng.pick(['ch', 'py', 're', 'po', 'dp', 'txn'])}_${rng.token(24)}`
            : cursorAt.toISOString();
        await cursors.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          connection_id: id,
          object_type: objectType,
          cursor,
          last_sync_at: cursorAt,
          status: status === 'active' ? 'idle' : 'error',
          created_at: new Date(created.getTime() + 30 * MINUTE),
          updated_at: cursorAt,
        });
      }

      if (CRM_PROVIDERS.includes(provider)) {
        for (const [source, target, rule] of CRM_FIELDS[provider] ?? []) {
          const at = new Date(created.getTime() + HOUR);
          await mappings.add({
            id: rng.uuid(),
            tenant_id: tenant.id,
            connection_id: id,
            source_field: source,
            target_field: target,
            transform_rule: rule,
            created_at: at,
            updated_at: at,
          });
        }
        const logs = ctx.count(10 * tenant.weight);
        const span = ctx.anchorMs - created.getTime();
        for (let n = 0; n < logs; n++) {
          const ok = status === 'active' ? rng.chance(0.93) : rng.chance(0.5);
          await syncLogs.add({
            id: rng.uuid(),
            tenant_id: tenant.id,
            connection_id: id,
            direction: rng.chance(0.8) ? 'inbound' : 'outbound',
            entity: rng.pick(CURSOR_OBJECTS[provider]),
            record_count: ok ? rng.int(0, 400) : rng.int(0, 20),
            status: ok ? 'success' : rng.pick(['failed', 'partial']),
            errors: ok
              ? null
              : [
                  {
                    code: rng.pick(['RATE_LIMITED', 'INVALID_FIELD', 'TIMEOUT']),
                    message: 'Upstream API rejected the batch',
                    record: rng.token(10),
                  },
                ],
            created_at: new Date(created.getTime() + span * rng.float()),
          });
        }
        for (const event of ['deal.updated', 'contact.created'].slice(0, provider === 'zendesk' ? 1 : 2)) {
          const at = new Date(created.getTime() + 2 * HOUR);
          await webhooks.add({
            id: rng.uuid(),
            tenant_id: tenant.id,
            connection_id: id,
            event_type: provider === 'zendesk' ? 'ticket.updated' : event,
            url: `https://hooks.outpost.example.com/v1/crm/${tenant.slug}/${provider}/${rng.token(12)}`,
            secret: `whsec_${rng.token(32)}`,
            is_active: status === 'active',
            created_at: at,
            updated_at: at,
          });
        }
      }
    }

    const nsConnector = new Date(start + rng.between(1, 3) * DAY);
    await mcp.add({
      id: rng.uuid(),
      tenant_id: tenant.id,
      name: 'NetSuite MCP',
      server_url: `https://${tenant.netsuiteAccount.toLowerCase()}.suitetalk.api.netsuite.example.com/services/mcp/v1`,
      auth_type: 'oauth2',
      oauth_client_id: `ns-${rng.hex(16)}`,
      oauth_client_secret_encrypted: fernetToken(rng),
      oauth_token_encrypted: fernetToken(rng, 200),
      api_key_encrypted: null,
      status: 'active',
      discovered_tools: [
        {
          name: 'suiteql.read',
          description: 'Run a read-only SuiteQL query',
          input_schema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
        },
        {
          name: 'record.get',
          description: 'Fetch one record by type and internal id',
          input_schema: { type: 'object', properties: { type: { type: 'string' }, id: { type: 'string' } } },
        },
        {
          name: 'report.trial_balance',
          description: 'Trial balance for a posting period',
          input_schema: { type: 'object', properties: { period: { type: 'string' } } },
        },
      ],
      created_by: users.admin.id,
      created_at: new Date(Math.min(nsConnector.getTime(), ctx.anchorMs)),
      updated_at: ctx.ago(rng.between(1, 10) * DAY * 0.1),
    });
    if (tenant.plan === 'pro') {
      const docsConnector = new Date(Math.min(start + rng.between(5, 20) * DAY, ctx.anchorMs));
      await mcp.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        name: 'Internal wiki',
        server_url: `https://wiki.${tenant.slug}.example.com/mcp`,
        auth_type: tenant.slug === 'northwind-labs' ? 'api_key' : 'none',
        oauth_client_id: null,
        oauth_client_secret_encrypted: null,
        oauth_token_encrypted: null,
        api_key_encrypted: tenant.slug === 'northwind-labs' ? fernetToken(rng) : null,
        status: tenant.slug === 'acme' ? 'inactive' : 'active',
        discovered_tools: [
          {
            name: 'docs.search',
            description: 'Full-text search over the wiki',
            input_schema: { type: 'object', properties: { q: { type: 'string' } } },
          },
        ],
        created_by: users.ops.id,
        created_at: docsConnector,
        updated_at: docsConnector,
      });
    }
  }
  await ctx.finish(connections, cursors, mappings, syncLogs, webhooks, mcp);
}
