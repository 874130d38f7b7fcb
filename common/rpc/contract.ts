/**
 * common/rpc/contract.ts: everything a UI may ask of the core, as one typed contract with zod schemas:
 * calls (request → result) and subscriptions (live values until disposed).
 *
 * Guarantees: the core validates every call's and subscription's params against these schemas before
 * acting (a bad payload is a `validation` error naming the field), so a compromised or buggy renderer
 * cannot send the core anything else; results have schemas too, and the client may check them. Names
 * are `domain.action`. Adding a method is adding an entry here and a handler in the core; the compiler
 * then holds every host and UI to it.
 */
import { z } from 'zod';
import type { OperationInput, OperationName } from '../mutations/named.ts';
import { NAMED_MUTATIONS } from '../mutations/named.ts';
import { uuidParam } from '../queries/query.ts';
import { QUERY_NAMES, type QueryName, type QueryParams } from '../queries/registry.ts';

const id = z.string().min(1).max(200);
const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier');

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  fullName: z.string().nullable(),
  role: z.string(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
});

export const TenantSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  type: z.string(),
  visibleTenantIds: z.array(z.string()),
  /** The visible tenants by name (the signed-in tenant first known; subsidiaries for a holding). */
  visibleTenants: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string() })),
});

export const SessionSchema = z.object({
  serverUrl: z.string(),
  user: UserSchema,
  tenant: TenantSchema,
  /** True when the session was resumed from the cache without reaching the server. */
  offline: z.boolean(),
});
export type Session = z.infer<typeof SessionSchema>;

/** The account saved on a device, as the sign-in screen offers it (no secrets). */
export const SavedAccountSchema = z.object({
  serverUrl: z.string(),
  email: z.string(),
  fullName: z.string().nullable(),
  tenantSlug: z.string(),
  tenantName: z.string(),
});
export type SavedAccount = z.infer<typeof SavedAccountSchema>;

export const SignInSchema = z.strictObject({
  serverUrl: z.url({ protocol: /^https?$/ }),
  tenant: z.string().trim().min(1).max(100),
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});

export const ErrorInfoSchema = z.object({ code: z.string(), message: z.string(), at: z.string() });

export const SyncStateSchema = z.enum([
  'signed-out',
  /** Signing in, or opening the saved account's database: not signed out, not offline. */
  'opening',
  'offline',
  'connecting',
  'initial-sync',
  'up-to-date',
  'error',
  'sign-in-required',
]);

export const SyncStatusSchema = z.object({
  state: SyncStateSchema,
  /** Per table during the initial sync (and after a refetch). */
  tables: z.array(
    z.object({
      table: z.string(),
      state: z.enum(['waiting', 'syncing', 'up-to-date', 'error']),
      rows: z.number(),
    }),
  ),
  pendingWrites: z.number(),
  rejectedWrites: z.number(),
  lastSyncedAt: z.string().nullable(),
  lastError: ErrorInfoSchema.nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

/** How a column is shown and edited (common/records/presentation.ts). */
export const FieldPresentationSchema = z.object({
  label: z.string(),
  format: z.enum([
    'reference',
    'references',
    'lifecycle',
    'choice',
    'money',
    'percent',
    'number',
    'datetime',
    'date',
    'boolean',
    'json',
    'code',
    'long_text',
    'text',
    'uuid',
    'array',
    'vector',
  ]),
  references: z.string().optional(),
  choices: z.array(z.string()).readonly().optional(),
  lifecycle: z.string().optional(),
  currency: z.union([z.object({ code: z.string() }), z.object({ column: z.string() })]).optional(),
  language: z
    .union([
      z.enum(['javascript', 'typescript', 'xml', 'sql', 'json', 'markdown', 'diff', 'text']),
      z.object({ pathColumn: z.string() }),
    ])
    .optional(),
});

export const ColumnInfoSchema = z.object({
  name: z.string(),
  type: z.string(),
  nullable: z.boolean(),
  presentation: FieldPresentationSchema,
});
export type ColumnInfo = z.infer<typeof ColumnInfoSchema>;

export const TableInfoSchema = z.object({
  table: z.string(),
  /** The table as a person reads it ("Work items"), and one of its rows ("work item"). */
  title: z.string(),
  noun: z.string(),
  domain: z.string(),
  domainLabel: z.string(),
  primaryKey: z.array(z.string()),
  columns: z.array(ColumnInfoSchema),
  /** What the signed-in user may write here (null: read-only for this user). */
  writable: z
    .object({
      operations: z.array(z.enum(['insert', 'update', 'delete'])),
      /** Columns a new row may set (its key included). */
      insertColumns: z.array(z.string()),
      /** Columns an update may change. */
      updateColumns: z.array(z.string()),
    })
    .nullable(),
  hasTenant: z.boolean(),
});
export type TableInfo = z.infer<typeof TableInfoSchema>;

export const FilterSchema = z.strictObject({
  column: identifier,
  op: z.enum(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'contains', 'is_null', 'not_null']),
  value: z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]).optional(),
});

export const TableQuerySchema = z.strictObject({
  table: identifier,
  filters: z.array(FilterSchema).max(20).default([]),
  sort: z
    .array(z.strictObject({ column: identifier, direction: z.enum(['asc', 'desc']) }))
    .max(5)
    .default([]),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type TableQuery = z.input<typeof TableQuerySchema>;

export const RowSchema = z.record(z.string(), z.unknown());
export type Row = z.infer<typeof RowSchema>;

export const TablePageSchema = z.object({
  rows: z.array(RowSchema),
  total: z.number(),
  /** Each row's own label ("Close the month"), parallel to `rows`. */
  rowLabels: z.array(z.string()),
  /** For every reference column: the label of each row it names (id → label). */
  labels: z.record(z.string(), z.record(z.string(), z.string())),
});
export type TablePage = z.infer<typeof TablePageSchema>;

export const KeySchema = z.record(identifier, z.union([z.string().max(1000), z.number()]));

export const TableWriteSchema = z.strictObject({
  table: identifier,
  op: z.enum(['insert', 'update', 'delete']),
  /** Primary key values (update, delete). */
  key: KeySchema.optional(),
  values: z.record(identifier, z.unknown()).default({}),
});

/** `key` / `values` may be left out where every field of theirs is optional. */
type ArgumentPart<Part extends string, T> =
  Partial<T> extends T ? { readonly [P in Part]?: T } : { readonly [P in Part]: T };

/** What `mutation.run` takes for operation `N`: checked per name at compile time. */
export type OperationRequest<N extends OperationName = OperationName> = N extends OperationName
  ? { readonly name: N } & ArgumentPart<'key', OperationInput<N>['key']> &
      ArgumentPart<'values', OperationInput<N>['values']> & {
        /** An undo window: kept on this device this long before it is sent (writes.withdraw takes it back). */
        readonly holdMs?: number;
      }
  : never;

/** The longest undo window a write may wait in the outbox before it is sent. */
export const MAX_HOLD_MS = 10_000;

/**
 * A named operation (common/mutations/named.ts), as the write API takes it: `name`, `key` and
 * `values`. The name must be a registered operation; its arguments are forwarded as given and parsed by
 * the operation's own schemas in the core (as the server parses them again), so a wrong argument is a
 * `validation` error naming it. Callers get the per-operation types (`OperationRequest`).
 */
export const NamedMutationSchema = z.strictObject({
  name: z
    .string()
    .max(100)
    .refine((name) => NAMED_MUTATIONS.has(name), {
      error: () => `not a named operation (known: ${[...NAMED_MUTATIONS.keys()].join(', ')})`,
    }),
  key: z.record(z.string(), z.unknown()).optional(),
  values: z.record(z.string(), z.unknown()).optional(),
  holdMs: z.number().int().min(0).max(MAX_HOLD_MS).optional(),
}) as unknown as z.ZodType<
  { name: string; key?: Record<string, unknown>; values?: Record<string, unknown>; holdMs?: number },
  OperationRequest
>;

/** What `query.run` / `query.live` take for query `N`: checked per name at compile time. */
export type QueryRequest<N extends QueryName = QueryName> = N extends QueryName
  ? { readonly name: N } & ArgumentPart<'params', QueryParams<N>>
  : never;

/** A named read query (common/queries/registry.ts); its params are parsed by the query's own schema. */
export const QueryRequestSchema = z.strictObject({
  name: z.enum(QUERY_NAMES as [QueryName, ...QueryName[]]),
  params: z.record(z.string(), z.unknown()).optional(),
}) as unknown as z.ZodType<{ name: QueryName; params?: Record<string, unknown> }, QueryRequest>;

export const QueryResultSchema = z.object({ rows: z.array(RowSchema) });

export const WriteStateSchema = z.object({
  id: z.string(),
  /** A table write (`table`, `op`) or a named operation (`name`). */
  table: z.string().nullable(),
  name: z.string().nullable(),
  op: z.string().nullable(),
  key: z.record(z.string(), z.unknown()).nullable(),
  status: z.enum(['pending', 'uploading', 'rejected']),
  /** Why the server refused it (status `rejected`). */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Why the last upload attempt failed, while it is still pending (offline, HTTP 503, ...). */
  retryReason: z.string().nullable(),
  createdAt: z.string(),
  /** Still only on this device and never sent: writes.withdraw can take it back. */
  undoable: z.boolean(),
  /** When a held write (an undo window) will be sent; null: as soon as possible. */
  sendAfter: z.string().nullable(),
});
export type WriteState = z.infer<typeof WriteStateSchema>;

/** A file being edited in a workspace, as this device keeps it (core/workspaces/drafts.ts). */
export const WorkspaceDraftSchema = z.object({
  path: z.string(),
  operation: z.enum(['create', 'modify', 'delete']),
  /** The file's content when editing began; null for a new file. */
  baseContent: z.string().nullable(),
  baseSha256: z.string().nullable(),
  /** The text as last saved; null for a delete. */
  savedContent: z.string().nullable(),
  /** The editor's buffer when it differs from the saved text; null when all is saved. */
  unsavedContent: z.string().nullable(),
});
export type WorkspaceDraftState = z.infer<typeof WorkspaceDraftSchema>;

const draftPath = z
  .string()
  .min(1)
  .max(1000)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'a relative path inside the workspace');
/** File text: at most 2 MB, as changeset.create takes it. */
const draftText = z.string().max(2_000_000);
const workspaceRef = { workspaceId: uuidParam };

const none = z
  .null()
  .optional()
  .transform(() => null);
const ok = z.null();

/** Request → result. */
export const CALLS = {
  'session.get': { params: none, result: SessionSchema.nullable() },
  'session.signIn': { params: SignInSchema, result: SessionSchema },
  /** The account saved on this device, if any (works offline; no network). */
  'session.saved': { params: none, result: SavedAccountSchema.nullable() },
  /** Continue with the cached account (offline, or until the server answers). */
  'session.resume': { params: none, result: SessionSchema },
  'session.signOut': { params: none, result: ok },
  'sync.retry': { params: none, result: ok },
  'catalog.tables': { params: none, result: z.array(TableInfoSchema) },
  'table.query': { params: TableQuerySchema, result: TablePageSchema },
  'table.get': {
    params: z.strictObject({ table: identifier, key: KeySchema }),
    result: RowSchema.nullable(),
  },
  'table.write': { params: TableWriteSchema, result: z.object({ mutationId: id }) },
  /** A named operation, run optimistically and queued; `result` is its local answer. */
  'mutation.run': {
    params: NamedMutationSchema,
    result: z.object({ mutationId: id, result: z.record(z.string(), z.unknown()) }),
  },
  /** A named read query (common/queries), once. */
  'query.run': { params: QueryRequestSchema, result: QueryResultSchema },
  'writes.dismiss': { params: z.strictObject({ id }), result: ok },
  /**
   * Takes back a write the server has not seen (pending, never sent): its local change is undone and
   * it leaves the outbox. `conflict` when it was already sent, `not_found` when the outbox no longer
   * holds it (core/outbox/outbox.ts withdrawMutation).
   */
  'writes.withdraw': { params: z.strictObject({ id }), result: ok },
  /**
   * The workspace editor's drafts (local only, never synced, never an outbox mutation):
   * core/workspaces/drafts.ts, for the signed-in user in a workspace they can see.
   */
  'drafts.list': { params: z.strictObject(workspaceRef), result: z.array(WorkspaceDraftSchema) },
  /** The draft of a file, started from its current content when there is none. */
  'drafts.open': {
    params: z.strictObject({ ...workspaceRef, path: draftPath }),
    result: WorkspaceDraftSchema,
  },
  /** The editor's buffer (autosave): kept across reloads, not yet saved. */
  'drafts.keep': {
    params: z.strictObject({ ...workspaceRef, path: draftPath, text: draftText }),
    result: ok,
  },
  /** The saved text of a draft; its unsaved buffer is cleared. */
  'drafts.save': {
    params: z.strictObject({ ...workspaceRef, path: draftPath, text: draftText }),
    result: ok,
  },
  /** A new file's draft holding `text`; `conflict` when the path is taken. */
  'drafts.create': {
    params: z.strictObject({ ...workspaceRef, path: draftPath, text: draftText.optional() }),
    result: WorkspaceDraftSchema,
  },
  /** The file becomes a delete in the author's drafts (a new file's draft just goes). */
  'drafts.delete': { params: z.strictObject({ ...workspaceRef, path: draftPath }), result: ok },
  /** A new file `to` with `from`'s current text, and `from` deleted. */
  'drafts.rename': {
    params: z.strictObject({ ...workspaceRef, from: draftPath, to: draftPath }),
    result: WorkspaceDraftSchema,
  },
  'drafts.discard': {
    params: z.strictObject({ ...workspaceRef, paths: z.array(draftPath).max(10_000) }),
    result: ok,
  },
  /** changeset.create of the saved drafts (one patch per file), queued; those drafts then go. */
  'drafts.propose': {
    params: z.strictObject({
      ...workspaceRef,
      title: z.string().trim().min(1).max(500),
      description: z.string().trim().max(10_000).optional(),
    }),
    result: z.object({ changesetId: z.string(), paths: z.array(z.string()) }),
  },
  /** A consistent copy of the signed-in account's local database (a gzipped PGlite data directory). */
  'database.backup': {
    params: none,
    result: z.object({ fileName: z.string(), bytes: z.instanceof(Uint8Array) }),
  },
} as const;

const chainLink = z.object({ id: z.string(), chainSeq: z.number(), createdAt: z.string(), hash: z.string() });

/**
 * What `audit.verify` reports (common/audit/chain-verification.ts): progress while it walks the chain,
 * then one outcome: intact (the first and last link) or the first broken row.
 */
export const AuditVerificationEventSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('running'), checked: z.number(), total: z.number() }),
  z.object({
    state: z.literal('intact'),
    checked: z.number(),
    first: chainLink.nullable(),
    last: chainLink.nullable(),
  }),
  z.object({
    state: z.literal('broken'),
    checked: z.number(),
    broken: z.object({
      kind: z.enum(['altered', 'missing', 'reordered', 'missing_at_end', 'head_mismatch']),
      id: z.string().nullable(),
      createdAt: z.string().nullable(),
      position: z.number(),
      chainSeq: z.number().nullable(),
      expected: z.string(),
      found: z.string(),
      message: z.string(),
    }),
  }),
]);
export type AuditVerificationEvent = z.infer<typeof AuditVerificationEventSchema>;

/** Live values: the first event is the current value, then one per change, until disposed. */
export const SUBSCRIPTIONS = {
  'sync.status': { params: none, event: SyncStatusSchema },
  'session.current': { params: none, event: SessionSchema.nullable() },
  'table.query': { params: TableQuerySchema, event: TablePageSchema },
  'writes.list': { params: none, event: z.array(WriteStateSchema) },
  /** A named read query (common/queries), live: a new event whenever its rows change. */
  'query.live': { params: QueryRequestSchema, event: QueryResultSchema },
  /**
   * Verifies a visible tenant's audit hash chain on this device (needs audit:read): `running` events,
   * then `intact` or `broken`; disposing stops the walk.
   */
  'audit.verify': { params: z.strictObject({ tenantId: uuidParam }), event: AuditVerificationEventSchema },
} as const;

export type Calls = typeof CALLS;
export type Subscriptions = typeof SUBSCRIPTIONS;
export type CallName = keyof Calls;
export type SubscriptionName = keyof Subscriptions;
export type CallParams<N extends CallName> = z.input<Calls[N]['params']>;
export type CallResult<N extends CallName> = z.output<Calls[N]['result']>;
export type SubscriptionParams<N extends SubscriptionName> = z.input<Subscriptions[N]['params']>;
export type SubscriptionEvent<N extends SubscriptionName> = z.output<Subscriptions[N]['event']>;
