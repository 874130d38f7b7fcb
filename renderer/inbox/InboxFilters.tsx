/**
 * renderer/inbox/InboxFilters.tsx: the inbox's search and filters: kind, minimum risk, requester and
 * assistant (by name, from the items themselves). `/` focuses the search; Escape in it clears it and
 * goes back to the list.
 */
import { useMemo } from 'react';
import { setFilter, useInbox } from './inbox-store.ts';
import { facets, KIND_LABEL, KIND_ORDER, NO_FILTER, type InboxItem, type InboxKind } from './inbox-model.ts';

function backToList(): void {
  document.querySelector<HTMLElement>('.inbox-row.active, .inbox-list')?.focus();
}

export function InboxFilters({ items }: { readonly items: readonly InboxItem[] }) {
  const filter = useInbox((s) => s.filter);
  const { requesters, assistants } = useMemo(() => facets(items), [items]);
  const filtered = JSON.stringify(filter) !== JSON.stringify(NO_FILTER);
  return (
    <div className="inbox-filters" role="search">
      <input
        type="search"
        data-testid="inbox-search"
        aria-label="Search the inbox"
        placeholder="Search titles, people, assistants  ( / )"
        value={filter.text}
        onChange={(e) => setFilter({ text: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            if (filter.text) setFilter({ text: '' });
            backToList();
          } else if (e.key === 'Enter' || e.key === 'ArrowDown') {
            e.preventDefault();
            backToList();
          }
        }}
      />
      <select
        aria-label="Kind"
        value={filter.kinds[0] ?? ''}
        onChange={(e) => setFilter({ kinds: e.target.value ? [e.target.value as InboxKind] : [] })}
      >
        <option value="">Every kind</option>
        {KIND_ORDER.map((k) => (
          <option key={k} value={k}>
            {KIND_LABEL[k].many}
          </option>
        ))}
      </select>
      <select
        aria-label="Risk"
        value={filter.minRisk ?? ''}
        onChange={(e) => setFilter({ minRisk: e.target.value === '' ? null : Number(e.target.value) })}
      >
        <option value="">Any risk</option>
        {[5, 4, 3, 2, 1].map((r) => (
          <option key={r} value={r}>
            {r === 5 ? 'Risk 5' : `Risk ${r} or higher`}
          </option>
        ))}
      </select>
      <select
        aria-label="Requester"
        value={filter.requesterId ?? ''}
        onChange={(e) => setFilter({ requesterId: e.target.value || null })}
      >
        <option value="">Anyone asking</option>
        {requesters.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Assistant"
        value={filter.assistantId ?? ''}
        onChange={(e) => setFilter({ assistantId: e.target.value || null })}
      >
        <option value="">Any assistant</option>
        {assistants.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
      {filtered ? (
        <button type="button" className="link-button" onClick={() => setFilter(NO_FILTER)}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
