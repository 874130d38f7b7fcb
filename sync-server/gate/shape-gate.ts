/**
 * sync-server/gate/shape-gate.ts: turns a client's shape request and the signed-in principal into the
 * shape that principal may see, or refuses it.
 *
 *   request (table, where, params, columns, replica) + principal (from the token only)
 *     ─► sync rule of the table (none: 403)  ─► read permission (missing: 403)
 *     ─► columns: the rule's sendable columns, or the requested subset (server-only: 403)
 *     ─► where: parse the client's clause; refuse server-only columns in it (403: a filter on a secret
 *        would leak it bit by bit); AND the tenant scope onto the tree; print it back (print.ts)
 *     ─► ShapeDefinition with the RLS context (role outpost_app, the principal's tenant)
 *     ─► a subset snapshot (subset__*): server-only columns refused in its where and order_by (403);
 *        it is served from the definition above, its where ANDed with the scoped one (subset.ts)
 *
 * Guarantees:
 *   - Default deny: only tables of common/sync/rules.ts that exist in the database are reachable; the
 *     public schema only. Unknown and unlisted tables get the same 403, so it reveals nothing.
 *   - Columns in `server_only_columns` (read from the database at start) never leave: not sendable,
 *     not filterable. Generated columns are not sent (clients compute them).
 *   - The tenant condition is a node of the parsed tree, added with its own `$n` parameters after the
 *     client's: the client's clause can only narrow it. The resulting definition differs for every
 *     scope (tenant set and RLS tenant), so a shape handle is bound to the scope that created it.
 */
import type pg from 'pg';
import { OutpostError } from '../../common/errors.ts';
import { mayRead, SYNC_RULES, type TableRule } from '../../common/sync/rules.ts';
import type { Principal } from '../auth/auth-service.ts';
import { APP_ROLE, inTenantTransaction } from '../db/tenant-transaction.ts';
import type { ShapeRequest } from '../shapes/shape-request.ts';
import type { ShapeDefinition } from '../shapes/shape.ts';
import type { Expr } from '../shapes/where/ast.ts';
import { parseWhere } from '../shapes/where/parser.ts';
import type { Subset } from '../shapes/subset.ts';
import { parseOrderBy } from '../shapes/where/order-by.ts';
import { columnsOf, maxParamOf, printWhere } from '../shapes/where/print.ts';

export interface GatedTable {
  readonly rule: TableRule;
  /** Columns that may leave the server, in table order. */
  readonly sendable: readonly string[];
  readonly serverOnly: ReadonlySet<string>;
  readonly generated: ReadonlySet<string>;
}

export interface GateCatalog {
  readonly tables: ReadonlyMap<string, GatedTable>;
  /** Rules whose table does not exist in this database (reported at start). */
  readonly missing: readonly string[];
}

/** Reads the columns of every ruled table and the server-only registry. */
export async function loadGateCatalog(pool: pg.Pool): Promise<GateCatalog> {
  // As the application role: a production login is NOINHERIT and reads nothing by itself.
  return inTenantTransaction(pool, { tenantId: null, userId: null }, (client) => loadCatalog(client), {
    readOnly: true,
  });
}

async function loadCatalog(pool: pg.ClientBase): Promise<GateCatalog> {
  const { rows } = await pool.query<{ table_name: string; column_name: string; generated: boolean }>(
    `SELECT c.relname::text AS table_name, a.attname::text AS column_name, a.attgenerated <> '' AS generated
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname = ANY($1)
      ORDER BY c.relname, a.attnum`,
    [[...SYNC_RULES.keys()]],
  );
  const secrets = await pool.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM server_only_columns`,
  );
  const serverOnlyOf = new Map<string, Set<string>>();
  for (const s of secrets.rows) {
    let set = serverOnlyOf.get(s.table_name);
    if (!set) serverOnlyOf.set(s.table_name, (set = new Set()));
    set.add(s.column_name);
  }
  const columnsOfTable = new Map<string, { name: string; generated: boolean }[]>();
  for (const r of rows) {
    let list = columnsOfTable.get(r.table_name);
    if (!list) columnsOfTable.set(r.table_name, (list = []));
    list.push({ name: r.column_name, generated: r.generated });
  }
  const tables = new Map<string, GatedTable>();
  const missing: string[] = [];
  for (const rule of SYNC_RULES.values()) {
    const columns = columnsOfTable.get(rule.table);
    if (!columns) {
      missing.push(rule.table);
      continue;
    }
    const serverOnly = serverOnlyOf.get(rule.table) ?? new Set<string>();
    const generated = new Set(columns.filter((c) => c.generated).map((c) => c.name));
    tables.set(rule.table, {
      rule,
      sendable: columns.map((c) => c.name).filter((c) => !serverOnly.has(c) && !generated.has(c)),
      serverOnly,
      generated,
    });
  }
  return { tables, missing };
}

function forbidden(message: string, details: Record<string, unknown> = {}): OutpostError {
  return new OutpostError('forbidden', message, details);
}

const column = (name: string): Expr => ({ kind: 'column', name, pos: 0 });

/** The tenant condition of a rule for a principal, with parameters numbered from `firstParam`. */
function scopeCondition(
  rule: TableRule,
  tenants: readonly string[],
  firstParam: number,
): { expr: Expr; params: Record<string, string> } | null {
  if (rule.scope === 'global') return null;
  const params: Record<string, string> = {};
  const list: Expr[] = tenants.map((id, i) => {
    params[String(firstParam + i)] = id;
    return { kind: 'param', index: firstParam + i, pos: 0 };
  });
  const key = rule.scope === 'tenant-root' ? 'id' : 'tenant_id';
  const inSet: Expr = { kind: 'in', expr: column(key), list, negated: false, pos: 0 };
  if (rule.scope !== 'tenant-or-global') return { expr: inSet, params };
  return {
    expr: {
      kind: 'or',
      left: inSet,
      right: { kind: 'isnull', expr: column(key), negated: false, pos: 0 },
      pos: 0,
    },
    params,
  };
}

/**
 * A subset may filter and order only by columns that may leave the server: a filter or an order on a
 * secret would leak it a bit at a time (LIMIT 1 ordered by it names the row that holds the largest).
 * Its rows are the shape's own columns and rows only: the engine ANDs its where with the shape's.
 */
function parseSubsetWhere(text: string): Expr {
  try {
    return parseWhere(text);
  } catch (error) {
    if (error instanceof OutpostError)
      throw new OutpostError(error.code, error.message, { ...error.details, param: 'subset__where' });
    throw error;
  }
}

function refuseSecretsInSubset(subset: Subset, gated: GatedTable): void {
  const used = new Set<string>();
  if (subset.where !== null) columnsOf(parseSubsetWhere(subset.where), used);
  const filtered = [...used].filter((c) => gated.serverOnly.has(c));
  if (filtered.length > 0)
    throw forbidden(
      `The subset where clause may not use ${filtered.map((c) => JSON.stringify(c)).join(', ')}: it never leaves the server.`,
      { param: 'subset__where' },
    );
  if (subset.orderBy === null) return;
  const ordered = parseOrderBy(subset.orderBy)
    .map((t) => t.column)
    .filter((c) => gated.serverOnly.has(c));
  if (ordered.length > 0)
    throw forbidden(
      `The subset may not be ordered by ${ordered.map((c) => JSON.stringify(c)).join(', ')}: it never leaves the server.`,
      { param: 'subset__order_by' },
    );
}

export class ShapeGate {
  constructor(
    private readonly catalog: GateCatalog,
    private readonly appRole = APP_ROLE,
  ) {}

  /** The rule and columns of a table the principal may read, or a 403. */
  readable(table: string, principal: Principal): GatedTable {
    const gated = this.catalog.tables.get(table);
    if (!gated)
      throw forbidden(`No sync rule allows the table ${JSON.stringify(table)}.`, { param: 'table' });
    if (!mayRead(gated.rule, principal.permissions))
      throw forbidden(`Reading ${table} needs the permission ${gated.rule.read ?? ''}.`, {
        param: 'table',
        permission: gated.rule.read,
      });
    return gated;
  }

  /** The shape definition this principal gets for the request. */
  authorize(request: ShapeRequest, principal: Principal): ShapeDefinition {
    if (request.table.schema !== 'public')
      throw forbidden(
        `No sync rule allows the table ${JSON.stringify(`${request.table.schema}.${request.table.name}`)}.`,
        {
          param: 'table',
        },
      );
    const gated = this.readable(request.table.name, principal);
    const { rule } = gated;
    if (principal.visibleTenantIds.length === 0 && rule.scope !== 'global')
      throw forbidden('This session sees no tenant.', {});

    let columns = gated.sendable;
    if (request.columns) {
      const secret = request.columns.filter((c) => gated.serverOnly.has(c));
      if (secret.length > 0)
        throw forbidden(
          `Column ${secret.map((c) => JSON.stringify(c)).join(', ')} of ${rule.table} never leaves the server.`,
          {
            param: 'columns',
          },
        );
      const computed = request.columns.filter((c) => gated.generated.has(c));
      if (computed.length > 0)
        throw new OutpostError(
          'invalid_columns',
          `Column ${computed.map((c) => JSON.stringify(c)).join(', ')} of ${rule.table} is generated; clients compute it.`,
          { param: 'columns' },
        );
      const allowed = new Set(gated.sendable);
      const unknown = request.columns.filter((c) => !allowed.has(c));
      if (unknown.length > 0)
        throw new OutpostError(
          'invalid_columns',
          `Invalid columns: ${unknown.map((c) => JSON.stringify(c)).join(', ')} not in ${rule.table}.`,
          { param: 'columns' },
        );
      // Keep table order, so equal sets give one shape.
      const wanted = new Set(request.columns);
      columns = gated.sendable.filter((c) => wanted.has(c));
    }

    const clientTree = request.where === null ? null : parseWhere(request.where);
    if (clientTree) {
      const secret = [...columnsOf(clientTree)].filter((c) => gated.serverOnly.has(c));
      if (secret.length > 0)
        throw forbidden(
          `The where clause may not use ${secret.map((c) => JSON.stringify(c)).join(', ')}: it never leaves the server.`,
          { param: 'where' },
        );
    }
    const params: Record<string, string> = { ...request.params };
    const firstScopeParam =
      Math.max(clientTree ? maxParamOf(clientTree) : 0, ...Object.keys(params).map(Number), 0) + 1;
    const scope = scopeCondition(rule, principal.visibleTenantIds, firstScopeParam);
    let tree: Expr | null = clientTree;
    if (scope) {
      Object.assign(params, scope.params);
      tree = clientTree ? { kind: 'and', left: scope.expr, right: clientTree, pos: 0 } : scope.expr;
    }
    if (request.subset) refuseSecretsInSubset(request.subset, gated);
    return {
      schema: 'public',
      table: rule.table,
      where: tree ? printWhere(tree) : null,
      params,
      columns,
      replica: request.replica,
      context: rule.scope === 'global' ? null : { role: this.appRole, tenantId: principal.tenantId },
      ...(request.log === 'changes_only' ? { log: 'changes_only' as const } : {}),
    };
  }
}
