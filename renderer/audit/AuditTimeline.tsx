/**
 * renderer/audit/AuditTimeline.tsx: the audit view (`#/audit`): one tenant's audit events on this
 * device, newest first, filtered, with the chain verification above them and the active event's
 * details beside them.
 *
 *   audit.facets (live) ─► the filters: actor (by name), action, entity type, from / to (local days)
 *   audit.timeline (live, PAGE events, more as the end is reached: at most MAX_LISTED rendered)
 *   j / k or ↓ / ↑ ─► the active event (highlighted, scrolled into view) ─► its details:
 *                     who, when, what, the entity (named, linked to the explorer), changes before → after
 *   Enter ─► the entity's table in the explorer        v ─► Verify chain (renderer/audit/VerifyChain.tsx)
 */
import { useEffect } from 'react';
import type { AuditEventRow, AuditFacetRow } from '../../common/queries/audit.ts';
import { choiceLabel, tableNoun } from '../../common/records/fields.ts';
import { navigate } from '../app/routes.ts';
import { explorerAddress } from '../explorer/route.ts';
import { AuditChanges } from '../records/AuditChanges.tsx';
import { formatDateTime, shortId } from '../records/format.ts';
import { useEngine } from '../state/engine-store.ts';
import { useNamedQuery } from '../state/use-named-query.ts';
import { actionWords, entityTable, timelineParams } from './audit-model.ts';
import { MAX_LISTED, moveActive, PAGE, setAuditFilter, showMore, useAudit } from './audit-store.ts';
import { VerifyChain } from './VerifyChain.tsx';
import './audit.css';

const actorOf = (row: AuditEventRow) => row.actor_name ?? choiceLabel(row.actor_type);

function entityText(row: AuditEventRow): string {
  const table = entityTable(row.entity_type);
  const noun = table ? tableNoun(table) : choiceLabel(row.entity_type).toLowerCase();
  const name = row.entity_name ?? (row.entity_id ? shortId(row.entity_id) : null);
  return name ? `${noun} ${name}` : noun;
}

/** Opens the active event's entity table in the explorer (Enter, the palette). */
export function openActiveRecord(): void {
  const { active, ids, entityTypes } = useAudit.getState();
  const type = active === null ? undefined : entityTypes[ids.indexOf(active)];
  const table = type ? entityTable(type) : null;
  if (table) navigate(explorerAddress, { table });
}

function Filters({ facets }: { readonly facets: readonly AuditFacetRow[] }) {
  const filters = useAudit((s) => s.filters);
  const options = (facet: AuditFacetRow['facet']) => facets.filter((f) => f.facet === facet);
  const select = (
    id: string,
    label: string,
    facet: AuditFacetRow['facet'],
    value: string | null,
    key: 'actorId' | 'action' | 'entityType',
  ) => (
    <label className="audit-filter" htmlFor={id}>
      {label}
      <select id={id} value={value ?? ''} onChange={(e) => setAuditFilter({ [key]: e.target.value || null })}>
        <option value="">All</option>
        {options(facet).map((f) => (
          <option key={f.value} value={f.value}>
            {facet === 'action'
              ? actionWords(f.label)
              : facet === 'entity_type'
                ? choiceLabel(f.label)
                : f.label}{' '}
            ({f.count.toLocaleString()})
          </option>
        ))}
      </select>
    </label>
  );
  const invalidRange = filters.from && filters.to && filters.from > filters.to;
  return (
    <div className="audit-filters" role="group" aria-label="Filters">
      {select('audit-filter-actor', 'Actor', 'actor', filters.actorId, 'actorId')}
      {select('audit-filter-action', 'Action', 'action', filters.action, 'action')}
      {select('audit-filter-entity', 'Entity type', 'entity_type', filters.entityType, 'entityType')}
      <label className="audit-filter">
        From
        <input
          type="date"
          value={filters.from ?? ''}
          onChange={(e) => setAuditFilter({ from: e.target.value || null })}
        />
      </label>
      <label className="audit-filter">
        To
        <input
          type="date"
          value={filters.to ?? ''}
          onChange={(e) => setAuditFilter({ to: e.target.value || null })}
        />
      </label>
      {invalidRange ? (
        <p className="error-box">The “from” day is after the “to” day, so no event can match.</p>
      ) : null}
    </div>
  );
}

function EventDetail({ row }: { readonly row: AuditEventRow }) {
  const at = formatDateTime(row.created_at);
  const table = entityTable(row.entity_type);
  return (
    <aside className="audit-detail" aria-label="Event" data-testid="audit-detail">
      <h2>{actionWords(row.action)}</h2>
      <p>
        by <strong>{actorOf(row)}</strong>
        {at ? (
          <>
            {' · '}
            <time dateTime={at.iso} title={at.iso}>
              {at.text}
            </time>
          </>
        ) : null}
      </p>
      <p>
        {table ? (
          <a href={`#/explorer/${table}`} data-testid="audit-entity-link">
            {entityText(row)}
          </a>
        ) : (
          entityText(row)
        )}
        {row.status && row.status !== 'success' ? (
          <span className={`audit-status ${row.status}`}> {choiceLabel(row.status)}</span>
        ) : null}
      </p>
      <p className="muted">
        Event {row.chain_seq} of the chain{row.tenant_name ? ` of ${row.tenant_name}` : ''}
        {row.category ? ` · ${choiceLabel(row.category)}` : ''}
      </p>
      <AuditChanges row={row} />
    </aside>
  );
}

export function AuditTimeline({ selected }: { readonly selected: string | null }) {
  const session = useEngine((s) => s.session);
  const tenantId = useAudit((s) => s.tenantId);
  const filters = useAudit((s) => s.filters);
  const limit = useAudit((s) => s.limit);
  const active = useAudit((s) => s.active);
  const broken = useAudit((s) => (s.verification?.state === 'broken' ? s.verification.broken.id : null));
  const tenants = session?.tenant.visibleTenants ?? [];

  useEffect(() => {
    if (session && (tenantId === null || !session.tenant.visibleTenantIds.includes(tenantId)))
      useAudit.setState({ tenantId: session.tenant.id, verification: null });
  }, [session, tenantId]);
  useEffect(() => {
    if (selected) useAudit.setState({ active: selected });
  }, [selected]);

  const rows = useNamedQuery(
    tenantId ? { name: 'audit.timeline', params: timelineParams(tenantId, filters, limit) } : null,
  );
  const facets = useNamedQuery(tenantId ? { name: 'audit.facets', params: { tenantId } } : null);
  useEffect(() => {
    const ids = (rows ?? []).map((r) => r.id);
    const entityTypes = (rows ?? []).map((r) => r.entity_type);
    useAudit.setState((s) => ({ ids, entityTypes, active: s.active ?? ids[0] ?? null }));
  }, [rows]);
  useEffect(() => {
    if (active) document.getElementById(`audit-event-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, rows]);

  const activeRow = rows?.find((r) => r.id === active) ?? null;
  return (
    <div className="audit">
      <div className="audit-main">
        <header className="audit-header">
          <h1>Audit</h1>
          {tenants.length > 1 ? (
            <label className="audit-filter">
              Tenant
              <select
                value={tenantId ?? ''}
                onChange={(e) =>
                  useAudit.setState({
                    tenantId: e.target.value,
                    verification: null,
                    active: null,
                    limit: PAGE,
                  })
                }
              >
                {tenants.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </header>
        <VerifyChain />
        <Filters facets={facets ?? []} />
        <p className="muted" data-testid="audit-count">
          {rows === null
            ? 'Reading the audit log on this device…'
            : `${rows.length.toLocaleString()} events shown, newest first`}
        </p>
        <ol
          id="audit-list"
          className="audit-list"
          tabIndex={0}
          role="listbox"
          aria-label="Audit events"
          aria-activedescendant={active ? `audit-event-${active}` : undefined}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              moveActive(e.key === 'ArrowDown' ? 1 : -1);
            }
          }}
        >
          {(rows ?? []).map((row) => {
            const at = formatDateTime(row.created_at);
            return (
              <li
                key={row.id}
                id={`audit-event-${row.id}`}
                role="option"
                aria-selected={row.id === active}
                data-testid="audit-event"
                data-broken={row.id === broken ? 'true' : undefined}
                className="audit-event"
                onClick={() => useAudit.setState({ active: row.id })}
              >
                <time className="audit-when" dateTime={at?.iso} title={at?.iso}>
                  {at?.text}
                </time>
                <span className="audit-actor">{actorOf(row)}</span>
                <span className="audit-action">{actionWords(row.action)}</span>
                <span className="audit-entity">{entityText(row)}</span>
              </li>
            );
          })}
        </ol>
        {rows && rows.length >= limit && limit < MAX_LISTED ? (
          <button type="button" onClick={showMore}>
            Show {PAGE} more
          </button>
        ) : null}
      </div>
      {activeRow ? (
        <EventDetail row={activeRow} />
      ) : (
        <aside className="audit-detail muted">No event selected.</aside>
      )}
    </div>
  );
}
