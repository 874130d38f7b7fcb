/**
 * renderer/search/SearchFilters.tsx: the search's filters: a document (by title), a content type, a
 * date range over the document's date (local calendar days, both ends included), and for holding
 * users the tenant (the same scope as the title bar's switcher, so every view agrees). Plain form
 * controls in the tab order after the search field; `f` (search.filters, when not typing) and the
 * palette jump to the first.
 */
import type { QueryRow } from '../../common/queries/registry.ts';
import { tenantLabel, useEngine } from '../state/engine-store.ts';
import { useNamedQuery } from '../state/use-named-query.ts';
import { NO_FILTERS } from './search-model.ts';
import { setSearchFilter, useSearch } from './search-store.ts';

type Option = QueryRow<'search.filterOptions'>;

function TenantFilter() {
  const visible = useEngine((s) => s.session?.tenant.visibleTenantIds ?? []);
  const names = useEngine((s) => s.tenantNames);
  const scope = useEngine((s) => s.scope);
  const setScope = useEngine((s) => s.setScope);
  if (visible.length <= 1) return null;
  return (
    <label className="search-filter">
      Tenant
      <select
        data-testid="search-tenant"
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
    </label>
  );
}

export function SearchFilters() {
  const filters = useSearch((s) => s.filters);
  const scope = useEngine((s) => s.scope);
  const holding = useEngine((s) => (s.session?.tenant.visibleTenantIds.length ?? 0) > 1);
  const options = useNamedQuery({ name: 'search.filterOptions', params: { tenantId: scope } }) ?? [];
  const documents = options.filter((o: Option) => o.kind === 'document');
  const types = options.filter((o: Option) => o.kind === 'type');
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  return (
    <div className="search-filters" role="group" aria-label="Filters">
      <label className="search-filter">
        Document
        <select
          id="search-filter-document"
          data-testid="search-filter-document"
          value={filters.documentId ?? ''}
          onChange={(e) => setSearchFilter({ documentId: e.target.value || null })}
        >
          <option value="">Every document</option>
          {documents.map((d) => (
            <option key={d.value} value={d.value}>
              {holding && d.tenant_name ? `${d.label} (${d.tenant_name})` : d.label}
            </option>
          ))}
        </select>
      </label>
      <label className="search-filter">
        Type
        <select
          data-testid="search-type"
          value={filters.contentType ?? ''}
          onChange={(e) => setSearchFilter({ contentType: e.target.value || null })}
        >
          <option value="">Every type</option>
          {types.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <label className="search-filter">
        From
        <input
          type="date"
          data-testid="search-from"
          value={filters.from}
          onChange={(e) => setSearchFilter({ from: e.target.value })}
        />
      </label>
      <label className="search-filter">
        To
        <input
          type="date"
          data-testid="search-to"
          value={filters.to}
          onChange={(e) => setSearchFilter({ to: e.target.value })}
        />
      </label>
      <TenantFilter />
      {filtered ? (
        <button type="button" className="button" onClick={() => useSearch.setState({ filters: NO_FILTERS })}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
