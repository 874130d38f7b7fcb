/**
 * renderer/search/Search.tsx: the search view (`#/search`): one field that searches the knowledge on
 * this device by words and by meaning (search.hybrid), the filters, the hits, and the open document.
 *
 *   typing ─(150 ms quiet)─► the query embedder (common/embeddings/provider.ts) ─► search.hybrid, live
 *   ArrowDown / ArrowUp in the field ─► the active hit (aria-activedescendant: focus stays in the field)
 *   Enter ─► #/search/<chunk id>: the document opens beside the hits, takes focus; Esc comes back
 *
 * Each hit shows its document's title and a snippet with the query's words highlighted, why it
 * matched (words, meaning or both), its tenant for holding users, its type and local date. When the
 * query's embedding model is not the one the documents were indexed with, a notice says the hits are
 * matches by words only. It all reads the local database: it works offline.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { deterministicEmbeddings, type EmbeddingProvider } from '../../common/embeddings/provider.ts';
import type { SearchHitRow, SearchHybridRow } from '../../common/queries/search.ts';
import { navigate } from '../app/routes.ts';
import { useFocusContextKey } from '../context-keys/held-keys.ts';
import { formatDateTime } from '../records/format.ts';
import { useEngine } from '../state/engine-store.ts';
import { useNamedQuery } from '../state/use-named-query.ts';
import { Highlighted } from './Highlighted.tsx';
import { searchAddress } from './route.ts';
import { SearchDocument } from './SearchDocument.tsx';
import { SearchFilters } from './SearchFilters.tsx';
import { MATCH_TEXT, modelNotice, searchRequestParams, type QueryEmbedding } from './search-model.ts';
import { setActiveHit, setSearchText, useSearch } from './search-store.ts';
import './search.css';

/** The embedder this device searches with (the deterministic one: offline, no model download). */
const QUERY_EMBEDDER: EmbeddingProvider = deterministicEmbeddings;
const QUIET_MS = 150;

/** The typed text once typing pauses, with its embedding. */
function useEmbeddedQuery(text: string): { text: string; embedding: QueryEmbedding | null } {
  const [embedded, setEmbedded] = useState<{ text: string; embedding: QueryEmbedding | null }>({
    text: '',
    embedding: null,
  });
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      const trimmed = text.trim();
      if (trimmed === '') {
        setEmbedded({ text: '', embedding: null });
        return;
      }
      void QUERY_EMBEDDER.embed([trimmed]).then(([vector]) => {
        if (current)
          setEmbedded({
            text: trimmed,
            embedding: vector ? { model: QUERY_EMBEDDER.model, vector: Array.from(vector) } : null,
          });
      });
    }, QUIET_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);
  return embedded;
}

export function openHit(chunkId: string): void {
  setActiveHit(chunkId);
  navigate(searchAddress, { chunk: chunkId });
  requestAnimationFrame(() => document.getElementById('search-document')?.focus());
}

function Hit(props: { readonly hit: SearchHitRow; readonly active: boolean; readonly holding: boolean }) {
  const { hit } = props;
  const at = formatDateTime(hit.document_date);
  const why = MATCH_TEXT[hit.match];
  return (
    <li
      id={`search-hit-${hit.chunk_id}`}
      role="option"
      aria-selected={props.active}
      className={props.active ? 'search-hit active' : 'search-hit'}
      data-testid="search-hit"
      data-match={hit.match}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => openHit(hit.chunk_id)}
    >
      <div className="search-hit-head">
        <a className="search-hit-title" href={`#/search/${hit.chunk_id}`} tabIndex={-1}>
          <Highlighted text={hit.title_highlighted} />
        </a>
        <span className={`search-match ${hit.match}`} title={why.title} data-testid="search-match">
          {why.label}
        </span>
      </div>
      <p className="search-snippet">
        <Highlighted text={hit.snippet} />
      </p>
      <div className="search-hit-meta muted">
        {[props.holding ? hit.tenant_name : null, hit.content_type, at?.text].filter(Boolean).join(' · ')}
      </div>
    </li>
  );
}

export function Search({ open }: { readonly open: string | null }) {
  const text = useSearch((s) => s.text);
  const filters = useSearch((s) => s.filters);
  const active = useSearch((s) => s.active);
  const scope = useEngine((s) => s.scope);
  const holding = useEngine((s) => (s.session?.tenant.visibleTenantIds.length ?? 0) > 1);
  const query = useEmbeddedQuery(text);
  const params = useMemo(
    () => searchRequestParams(query.text, query.embedding, filters, scope),
    [query, filters, scope],
  );
  const rows = useNamedQuery(params ? { name: 'search.hybrid', params } : null);
  // The last answer stays on screen while the next one is computed (no flicker between keystrokes).
  const [kept, setKept] = useState<{ rows: SearchHybridRow[]; text: string }>({ rows: [], text: '' });
  if (rows && rows !== kept.rows) setKept({ rows, text: query.text });
  const shown = params ? (rows ?? kept.rows) : [];
  const hits = shown.filter((r): r is SearchHitRow => r.kind === 'hit');
  const notice = shown.find((r) => r.kind === 'notice');
  const activeHit = hits.find((h) => h.chunk_id === active) ?? hits[0] ?? null;
  const fieldRef = useRef<HTMLInputElement>(null);
  useFocusContextKey('search.queryFocus', fieldRef);

  useEffect(() => {
    if (open === null) fieldRef.current?.focus();
  }, [open]);
  useEffect(() => {
    if (activeHit)
      document.getElementById(`search-hit-${activeHit.chunk_id}`)?.scrollIntoView({ block: 'nearest' });
  }, [activeHit]);

  const move = (delta: number) => {
    if (hits.length === 0) return;
    const index = activeHit ? hits.indexOf(activeHit) : -1;
    const next = hits[Math.max(0, Math.min(hits.length - 1, index + delta))];
    if (next) setActiveHit(next.chunk_id);
  };

  const searching = params !== null && rows === null;
  return (
    <div className="search" data-testid="search">
      <div className="search-main">
        <header className="search-header">
          <h1>Search</h1>
          <span className="muted">Documents on this device, by words and by meaning. Works offline.</span>
        </header>
        <div role="search" className="search-bar">
          <input
            ref={fieldRef}
            id="search-query"
            type="search"
            role="combobox"
            aria-label="Search documents"
            aria-expanded={hits.length > 0}
            aria-controls="search-results"
            aria-autocomplete="list"
            aria-activedescendant={activeHit ? `search-hit-${activeHit.chunk_id}` : undefined}
            data-testid="search-query"
            placeholder="Search by words or meaning, e.g. refund photo"
            autoComplete="off"
            spellCheck={false}
            value={text}
            onChange={(e) => setSearchText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                move(e.key === 'ArrowDown' ? 1 : -1);
              } else if (e.key === 'Enter' && activeHit) {
                e.preventDefault();
                openHit(activeHit.chunk_id);
              }
            }}
          />
        </div>
        <SearchFilters />
        {notice ? (
          <p className="info-box" role="status" data-testid="search-notice">
            {modelNotice(notice.query_model, notice.stored_models)}
          </p>
        ) : null}
        <p className="muted search-status" role="status" data-testid="search-status">
          {params === null
            ? 'Type to search. ↑ ↓ move through the hits, Enter opens the document.'
            : searching && kept.text !== query.text
              ? 'Searching…'
              : hits.length === 0
                ? `Nothing on this device matches “${query.text}”.`
                : `${hits.length} ${hits.length === 1 ? 'passage' : 'passages'} for “${query.text}”`}
        </p>
        <ul id="search-results" role="listbox" aria-label="Search results" className="search-results">
          {hits.map((hit) => (
            <Hit key={hit.chunk_id} hit={hit} active={hit === activeHit} holding={holding} />
          ))}
        </ul>
      </div>
      {open ? (
        <SearchDocument chunkId={open} />
      ) : (
        <aside className="search-document card muted" data-testid="search-document-empty">
          <p>Enter on a hit opens its document here, at the passage that matched.</p>
        </aside>
      )}
    </div>
  );
}
