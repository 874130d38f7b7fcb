/**
 * renderer/inbox/InboxFilters.tsx: the inbox's search and filters: kind, minimum risk, requester and
 * assistant (by name, from the items themselves), the tenant for holding users (the same scope as
 * the title bar's switcher, so the inbox, Home and the explorer agree), and the saved views
 * (saved-views.ts): choose one, save the current filter under a name, delete the one shown. `/` focuses the search; Escape in it clears it
 * and goes back to the list.
 */
import { useMemo, useState } from 'react';
import { tenantLabel, useEngine } from '../state/engine-store.ts';
import { setFilter, useInbox } from './inbox-store.ts';
import { deleteView, saveView, useSavedViews, viewOf } from './saved-views.ts';
import { facets, KIND_LABEL, KIND_ORDER, NO_FILTER, type InboxItem, type InboxKind } from './inbox-model.ts';

function backToList(): void {
  document.querySelector<HTMLElement>('.inbox-row.active, .inbox-list')?.focus();
}

/** For users who see several tenants: which one the inbox (and every view) shows. */
function TenantFilter() {
  const visible = useEngine((s) => s.session?.tenant.visibleTenantIds ?? []);
  const names = useEngine((s) => s.tenantNames);
  const scope = useEngine((s) => s.scope);
  const setScope = useEngine((s) => s.setScope);
  if (visible.length <= 1) return null;
  return (
    <select
      aria-label="Tenant"
      data-testid="inbox-tenant"
      value={scope ?? ''}
      onChange={(e) => setScope(e.target.value === '' ? null : e.target.value)}
    >
      <option value="">Every tenant</option>
      {visible.map((id) => (
        <option key={id} value={id}>
          {tenantLabel(names, id)}
        </option>
      ))}
    </select>
  );
}

export function InboxFilters({ items }: { readonly items: readonly InboxItem[] }) {
  const filter = useInbox((s) => s.filter);
  const { requesters, assistants } = useMemo(() => facets(items), [items]);
  const filtered = JSON.stringify(filter) !== JSON.stringify(NO_FILTER);
  const views = useSavedViews((s) => s.views);
  const current = viewOf(views, filter);
  const [naming, setNaming] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const save = () => {
    const why = saveView(naming ?? '', filter);
    setProblem(why);
    if (!why) {
      setNaming(null);
      backToList();
    }
  };
  return (
    <div className="inbox-filters" role="search">
      <select
        aria-label="Saved view"
        data-testid="inbox-saved-view"
        value={current?.name ?? (filtered ? '\u0000unsaved' : '')}
        onChange={(e) => {
          const view = views.find((v) => v.name === e.target.value);
          setFilter(view ? view.filter : NO_FILTER);
        }}
      >
        <option value="">All waiting</option>
        {filtered && !current ? <option value={'\u0000unsaved'}>Unsaved filter</option> : null}
        {views.map((v) => (
          <option key={v.name} value={v.name}>
            {v.name}
          </option>
        ))}
      </select>
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
      <TenantFilter />
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
      {filtered && !current && naming === null ? (
        <button type="button" className="link-button" onClick={() => setNaming('')}>
          Save as a view…
        </button>
      ) : null}
      {current ? (
        <button type="button" className="link-button" onClick={() => deleteView(current.name)}>
          Delete view “{current.name}”
        </button>
      ) : null}
      {naming !== null ? (
        <span className="inbox-save-view">
          <input
            autoFocus
            aria-label="Name of the view"
            data-testid="inbox-view-name"
            placeholder="Name of the view"
            value={naming}
            aria-invalid={problem ? true : undefined}
            onChange={(e) => {
              setNaming(e.target.value);
              setProblem(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                save();
              } else if (e.key === 'Escape') {
                e.preventDefault();
                setNaming(null);
                setProblem(null);
              }
            }}
          />
          <button type="button" className="button" onClick={save}>
            Save
          </button>
          {problem ? (
            <span className="field-problem" role="alert">
              {problem}
            </span>
          ) : null}
        </span>
      ) : null}
    </div>
  );
}
