/**
 * renderer/search/SearchDocument.tsx: the document a hit belongs to, beside the results: its title,
 * tenant, type, date (local time) and tags, then its chunks in order, with the hit's chunk marked and
 * scrolled into view. Opened by Enter on a hit or by its link (`#/search/<chunk id>`); it takes focus,
 * and Escape gives focus back to the search field. Live from search.chunkContext, so a document
 * re-synced while open shows its new text.
 */
import { useEffect, useRef } from 'react';
import { formatDateTime } from '../records/format.ts';
import { useNamedQuery } from '../state/use-named-query.ts';
import { focusSearchField } from './search-store.ts';

export function SearchDocument({ chunkId }: { readonly chunkId: string }) {
  const rows = useNamedQuery({ name: 'search.chunkContext', params: { chunkId } });
  const paneRef = useRef<HTMLElement>(null);
  const first = rows?.[0];
  const hitIndex = rows?.findIndex((r) => r.is_hit) ?? -1;

  useEffect(() => {
    if (hitIndex < 0) return;
    paneRef.current?.querySelector('.search-chunk.hit')?.scrollIntoView({ block: 'nearest' });
  }, [chunkId, hitIndex]);

  const at = first ? formatDateTime(first.document_date) : null;
  return (
    <section
      ref={paneRef}
      id="search-document"
      className="search-document card"
      tabIndex={-1}
      aria-label={first ? `Document: ${first.title}` : 'Document'}
      data-testid="search-document"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          focusSearchField();
        }
      }}
    >
      {rows === null ? <p className="muted">Reading this device’s data…</p> : null}
      {rows?.length === 0 ? (
        <p className="muted">This passage is not on this device, or not in the tenant you are looking at.</p>
      ) : null}
      {first ? (
        <>
          <h2 data-testid="search-document-title">{first.title}</h2>
          <p className="muted search-document-meta">
            {[first.tenant_name, first.content_type, at ? `${at.text} (${at.relative})` : null]
              .filter((x): x is string => !!x)
              .join(' · ')}
          </p>
          {first.tags && first.tags.length > 0 ? (
            <p className="search-tags">
              {first.tags.map((t) => (
                <span key={t} className="search-tag">
                  {t}
                </span>
              ))}
            </p>
          ) : null}
          <ol className="search-chunks">
            {(rows ?? []).map((r) => (
              <li
                key={r.chunk_id}
                className={r.is_hit ? 'search-chunk hit' : 'search-chunk'}
                data-testid={r.is_hit ? 'search-document-hit' : undefined}
              >
                {r.is_hit ? <span className="search-chunk-label">Matched passage</span> : null}
                <p>{r.content}</p>
              </li>
            ))}
          </ol>
          <p className="muted search-document-foot">Esc returns to the search field.</p>
        </>
      ) : null}
    </section>
  );
}
