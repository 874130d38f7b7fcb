/**
 * renderer/inbox/inbox-model.ts: what the approvals inbox lists, as plain data: the rows of the three
 * named queries it follows (approvals.waitingForMe, changesets.awaitingMyReview, workItems.byStatus
 * awaiting_approval with `mine`) made into one kind of item, sorted by urgency, filtered, searched and
 * grouped by kind; and the selection rules of the list (move, range, what a bulk action acts on).
 *
 * Pure: no React, no engine; the clock is a parameter. Guarantees: the order is total and stable
 * (expiry, then risk, then age, then id), so j/k never jump around between two equal items; filters
 * only narrow; a selection only ever holds ids of items shown.
 */
import type { QueryRow } from '../../common/queries/registry.ts';

export type InboxKind = 'approval' | 'changeset' | 'work_item';

export const KIND_ORDER: readonly InboxKind[] = ['approval', 'changeset', 'work_item'];

export const KIND_LABEL: Readonly<Record<InboxKind, { one: string; many: string }>> = {
  approval: { one: 'Approval to decide', many: 'Approvals to decide' },
  changeset: { one: 'Changeset to review', many: 'Changesets to review' },
  work_item: { one: 'Your work item awaiting approval', many: 'Your work items awaiting approval' },
};

export interface InboxItem {
  /** `<kind>:<id>`: unique across kinds. */
  readonly key: string;
  readonly kind: InboxKind;
  readonly id: string;
  /** The table the record lives in (for the explorer and the history). */
  readonly table: 'approvals' | 'workspace_changesets' | 'work_items';
  readonly tenantId: string;
  readonly tenantName: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly requesterId: string | null;
  readonly requesterName: string | null;
  readonly assistantId: string | null;
  readonly assistantName: string | null;
  /** 0–5 (5 the highest); null where the kind has none. */
  readonly risk: number | null;
  /** When it expires (approvals) or is due (work items); null: no deadline. */
  readonly expiresAt: string | null;
  readonly escalations: number;
  readonly createdAt: string;
  /** The approver the reader decides for, as a delegate. */
  readonly onBehalfOfName: string | null;
  /** One line of facts for the list (workspace, patches, cost). */
  readonly facts: readonly string[];
  /** a / r apply: approvals and changesets; the reader's own work items wait for others. */
  readonly decidable: boolean;
  /** The work item behind an approval. */
  readonly workItemId: string | null;
  readonly workItemTitle: string | null;
  readonly estimatedCost: string | null;
  /** Approvals under a quorum policy: how many distinct approvers must approve, and have. */
  readonly quorum: { readonly required: number; readonly approvals: number } | null;
  /** What the reader (or the approver they act for) already decided while the quorum is open. */
  readonly myDecision: 'approve' | 'reject' | null;
}

/** "1 of 2 approvals" for an approval that needs more than one approver; '' otherwise. */
export function quorumText(item: Pick<InboxItem, 'quorum' | 'myDecision'>): string {
  if (!item.quorum || item.quorum.required <= 1) return '';
  const { approvals, required } = item.quorum;
  return `${approvals} of ${required} approvals${item.myDecision === 'approve' ? ', yours included' : ''}`;
}

export function itemKey(kind: InboxKind, id: string): string {
  return `${kind}:${id}`;
}

export function fromApprovals(rows: readonly QueryRow<'approvals.waitingForMe'>[]): InboxItem[] {
  return rows.map((a) => ({
    key: itemKey('approval', a.id),
    kind: 'approval',
    id: a.id,
    table: 'approvals',
    tenantId: a.tenant_id,
    tenantName: a.tenant_name,
    title: a.title,
    description: a.description,
    requesterId: a.requested_by,
    requesterName: a.requester_name,
    assistantId: a.assistant_id,
    assistantName: a.assistant_name,
    risk: a.risk_level,
    expiresAt: a.expires_at,
    escalations: a.escalation_count ?? 0,
    createdAt: a.created_at,
    onBehalfOfName: a.on_behalf_of_name,
    facts: [],
    // Decided by the reader already (the quorum is still open): listed, but not theirs to decide again.
    decidable: a.my_decision === null,
    workItemId: a.work_item_id,
    workItemTitle: a.work_item_title,
    estimatedCost: a.estimated_cost,
    quorum: { required: a.quorum_required, approvals: a.quorum_approvals },
    myDecision: a.my_decision,
  }));
}

export function fromChangesets(rows: readonly QueryRow<'changesets.awaitingMyReview'>[]): InboxItem[] {
  return rows.map((c) => ({
    key: itemKey('changeset', c.id),
    kind: 'changeset',
    id: c.id,
    table: 'workspace_changesets',
    tenantId: c.tenant_id,
    tenantName: c.tenant_name,
    title: c.title,
    description: c.description,
    requesterId: c.proposed_by,
    requesterName: c.proposer_name,
    assistantId: null,
    assistantName: null,
    risk: null,
    expiresAt: null,
    escalations: 0,
    createdAt: c.created_at,
    onBehalfOfName: null,
    facts: [c.workspace_name ?? '', `${c.patch_count} ${c.patch_count === 1 ? 'file' : 'files'}`],
    decidable: true,
    workItemId: null,
    workItemTitle: null,
    estimatedCost: null,
    quorum: null,
    myDecision: null,
  }));
}

export function fromWorkItems(rows: readonly QueryRow<'workItems.byStatus'>[]): InboxItem[] {
  return rows.map((w) => ({
    key: itemKey('work_item', w.id),
    kind: 'work_item',
    id: w.id,
    table: 'work_items',
    tenantId: w.tenant_id,
    tenantName: null,
    title: w.title,
    description: w.description,
    requesterId: w.created_by,
    requesterName: w.creator_name,
    assistantId: w.assistant_id,
    assistantName: w.assistant_name,
    risk: w.risk_level,
    expiresAt: w.due_at,
    escalations: 0,
    createdAt: w.updated_at,
    onBehalfOfName: null,
    facts: [],
    decidable: false,
    workItemId: w.id,
    workItemTitle: w.title,
    estimatedCost: w.estimated_cost,
    quorum: null,
    myDecision: null,
  }));
}

const time = (iso: string | null) => (iso === null ? Number.POSITIVE_INFINITY : Date.parse(iso));

/** Most urgent first: the earliest expiry (none last), the highest risk, the oldest, then the key. */
export function byUrgency(a: InboxItem, b: InboxItem): number {
  return (
    time(a.expiresAt) - time(b.expiresAt) ||
    (b.risk ?? -1) - (a.risk ?? -1) ||
    Date.parse(a.createdAt) - Date.parse(b.createdAt) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

export interface InboxFilter {
  /** Empty: every kind. */
  readonly kinds: readonly InboxKind[];
  /** At least this risk (items without a risk are kept only when null). */
  readonly minRisk: number | null;
  readonly requesterId: string | null;
  readonly assistantId: string | null;
  /** Free text: every word must appear in the title, description, names or facts. */
  readonly text: string;
}

export const NO_FILTER: InboxFilter = {
  kinds: [],
  minRisk: null,
  requesterId: null,
  assistantId: null,
  text: '',
};

function haystack(item: InboxItem): string {
  return [
    item.title,
    item.description,
    item.requesterName,
    item.assistantName,
    item.tenantName,
    item.workItemTitle,
    item.onBehalfOfName,
    ...item.facts,
  ]
    .filter(Boolean)
    .join('\n')
    .toLocaleLowerCase();
}

export function matches(item: InboxItem, filter: InboxFilter): boolean {
  return matcher(filter)(item);
}

/** matches() for one filter, its words split once (a list tests every item against the same filter). */
function matcher(filter: InboxFilter): (item: InboxItem) => boolean {
  const words = filter.text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return (item) => {
    if (filter.kinds.length > 0 && !filter.kinds.includes(item.kind)) return false;
    if (filter.minRisk !== null && (item.risk === null || item.risk < filter.minRisk)) return false;
    if (filter.requesterId !== null && item.requesterId !== filter.requesterId) return false;
    if (filter.assistantId !== null && item.assistantId !== filter.assistantId) return false;
    if (words.length > 0) {
      const text = haystack(item);
      if (!words.every((w) => text.includes(w))) return false;
    }
    return true;
  };
}

/** The same order as byUrgency, with each item's times parsed once instead of at every comparison. */
function sortByUrgency(items: readonly InboxItem[]): InboxItem[] {
  const keyed = items.map((item) => ({
    item,
    expires: time(item.expiresAt),
    risk: item.risk ?? -1,
    created: Date.parse(item.createdAt),
  }));
  keyed.sort(
    (a, b) =>
      a.expires - b.expires ||
      b.risk - a.risk ||
      a.created - b.created ||
      (a.item.key < b.item.key ? -1 : a.item.key > b.item.key ? 1 : 0),
  );
  return keyed.map((k) => k.item);
}

export interface InboxGroup {
  readonly kind: InboxKind;
  readonly items: readonly InboxItem[];
}

/** The shown items, grouped by kind in KIND_ORDER, each group by urgency; empty groups left out. */
export function groupItems(items: readonly InboxItem[], filter: InboxFilter): InboxGroup[] {
  const shown = sortByUrgency(items.filter(matcher(filter)));
  return KIND_ORDER.map((kind) => ({ kind, items: shown.filter((i) => i.kind === kind) })).filter(
    (g) => g.items.length > 0,
  );
}

/** The list order j/k walk: the groups one after the other. */
export function flatten(groups: readonly InboxGroup[]): InboxItem[] {
  return groups.flatMap((g) => g.items);
}

/** The key `step` places from `active` (clamped at the ends); the first item when none is active. */
export function move(order: readonly InboxItem[], active: string | null, step: number): string | null {
  if (order.length === 0) return null;
  const at = active === null ? -1 : order.findIndex((i) => i.key === active);
  if (at < 0) return order[0]?.key ?? null;
  return order[Math.min(order.length - 1, Math.max(0, at + step))]?.key ?? null;
}

/** The keys from `anchor` to `to` inclusive, in list order (Shift+x). */
export function range(order: readonly InboxItem[], anchor: string | null, to: string): string[] {
  const end = order.findIndex((i) => i.key === to);
  if (end < 0) return [];
  const start = anchor === null ? end : order.findIndex((i) => i.key === anchor);
  const [from, until] = start < 0 ? [end, end] : start <= end ? [start, end] : [end, start];
  return order.slice(from, until + 1).map((i) => i.key);
}

/**
 * What a and r act on: the selected items still shown that can be decided, or else the active one if
 * it can; never an item of the reader's own (work items wait for others).
 */
export function actionTargets(
  order: readonly InboxItem[],
  selected: ReadonlySet<string>,
  active: string | null,
): InboxItem[] {
  const chosen = order.filter((i) => selected.has(i.key) && i.decidable);
  if (chosen.length > 0) return chosen;
  const current = order.find((i) => i.key === active);
  return current?.decidable ? [current] : [];
}

/**
 * `next` with every item equal to the one of the same key in `previous` replaced by that object, and
 * `previous` itself when nothing changed: a live query's new answer then re-renders only the rows whose
 * item changed (memoised rows compare by identity), and an unchanged answer changes nothing.
 */
export function reuseUnchanged(previous: readonly InboxItem[] | null, next: InboxItem[]): InboxItem[] {
  if (previous === null) return next;
  const before = new Map(previous.map((i) => [i.key, i]));
  let same = previous.length === next.length;
  const out = next.map((item, at) => {
    const old = before.get(item.key);
    const kept = old !== undefined && sameItem(old, item) ? old : item;
    if (kept !== previous[at]) same = false;
    return kept;
  });
  return same ? (previous as InboxItem[]) : out;
}

function sameItem(a: InboxItem, b: InboxItem): boolean {
  return (Object.keys(b) as (keyof InboxItem)[]).every((k) => {
    const x = a[k];
    const y = b[k];
    return (
      x === y || (typeof x === 'object' && typeof y === 'object' && JSON.stringify(x) === JSON.stringify(y))
    );
  });
}

/** People and assistants named in the items, for the filter menus (by name). */
export function facets(items: readonly InboxItem[]): {
  requesters: { id: string; name: string }[];
  assistants: { id: string; name: string }[];
} {
  const requesters = new Map<string, string>();
  const assistants = new Map<string, string>();
  for (const i of items) {
    if (i.requesterId) requesters.set(i.requesterId, i.requesterName ?? 'Someone');
    if (i.assistantId) assistants.set(i.assistantId, i.assistantName ?? 'An assistant');
  }
  const sorted = (m: Map<string, string>) =>
    [...m].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  return { requesters: sorted(requesters), assistants: sorted(assistants) };
}

/** "expires in 3 hours" / "expired 2 days ago" / "due in 4 days": the deadline in words. */
export function deadlineText(item: InboxItem, now: number, relative: (at: number) => string): string {
  if (item.expiresAt === null) return '';
  const at = Date.parse(item.expiresAt);
  if (!Number.isFinite(at)) return '';
  const verb = item.kind === 'work_item' ? 'due' : at <= now ? 'expired' : 'expires';
  return `${verb} ${relative(at)}`;
}

/** A countdown for the detail pane: "2 h 05 min left", "45 s left", "expired". */
export function countdown(expiresAt: string | null, now: number): string {
  if (expiresAt === null) return '';
  const ms = Date.parse(expiresAt) - now;
  if (!Number.isFinite(ms)) return '';
  if (ms <= 0) return 'expired';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h left`;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min left`;
  if (m > 0) return `${m} min ${String(s % 60).padStart(2, '0')} s left`;
  return `${s} s left`;
}

/** The nav badge's text: the number, shortened from 10,000 on ("101K") so the nav keeps its width. */
export function badgeText(count: number, locale?: string): string {
  const compact = count >= 10_000;
  return new Intl.NumberFormat(
    locale,
    compact ? { notation: 'compact', maximumFractionDigits: 0 } : {},
  ).format(count);
}
