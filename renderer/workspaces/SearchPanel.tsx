/**
 * renderer/workspaces/SearchPanel.tsx: the Search tab of the workspace editor's panel (Mod+Shift+F):
 * a query field with Match case, Whole word and Regular expression toggles (Alt+C, Alt+W, Alt+R while
 * the panel has focus), "N results in M files", and the results by file: each line number with the
 * line's text, the match marked. Choosing a result (click, or Enter in the list) opens the file with the
 * match selected. A regular expression that is not one is said under the field, in words.
 *
 * Keys: ↓ in the field goes to the results; in the results ↑/↓ (Home/End) move, Enter opens, and one
 * tab stop holds the list, naming its active row (aria-activedescendant), outlined and scrolled into
 * view. The search itself runs in renderer/workspaces/search-actions.ts; it runs again as the query
 * changes and as open files are edited.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useFocusContextKey } from '../context-keys/held-keys.ts';
import { FileIcon } from './FileIcon.tsx';
import type { SearchMatch, SearchOptions } from './file-search.ts';
import { searchSummary } from './file-search.ts';
import { Highlighted } from './Highlighted.tsx';
import { changeSearch, followEdits, openSearchResult, runSearch } from './search-actions.ts';
import { useWorkspaceEditor } from './workspace-store.ts';

interface ResultRow {
  readonly key: string;
  readonly path: string;
  readonly match: SearchMatch;
}

const rowId = (i: number) => `ws-search-result-${i}`;

const TOGGLES: readonly { option: keyof SearchOptions; code: string; label: string; text: string }[] = [
  { option: 'matchCase', code: 'KeyC', label: 'Match case', text: 'Aa' },
  { option: 'wholeWord', code: 'KeyW', label: 'Match whole word', text: 'ab' },
  { option: 'regex', code: 'KeyR', label: 'Use regular expression', text: '.*' },
];

function splitPath(path: string): { name: string; folder: string } {
  const slash = path.lastIndexOf('/');
  return { name: path.slice(slash + 1), folder: slash > 0 ? path.slice(0, slash) : '' };
}

export function SearchPanel() {
  const search = useWorkspaceEditor((s) => s.search);
  const { query, outcome } = search;
  const root = useRef<HTMLDivElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const results = useRef<HTMLDivElement>(null);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  useFocusContextKey('workspaces.searchFocus', root);
  useEffect(followEdits, []);

  useEffect(() => {
    if (search.focusRequest === 0) return;
    field.current?.focus();
    field.current?.select();
  }, [search.focusRequest]);

  // The results in list order, and each file's first row in it.
  const { rows, groups } = useMemo(() => {
    const files = outcome.kind === 'results' ? outcome.files : [];
    const all: ResultRow[] = [];
    const starts = files.map((file) => {
      const first = all.length;
      for (const match of file.matches)
        all.push({ key: `${file.path}:${match.line}:${match.column}`, path: file.path, match });
      return { file, first, ...splitPath(file.path) };
    });
    return { rows: all, groups: starts };
  }, [outcome]);
  const found = rows.findIndex((r) => r.key === activeKey);
  const active = found >= 0 ? found : 0;

  useEffect(() => {
    document.getElementById(rowId(active))?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  function onPanelKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const toggle = TOGGLES.find((t) => t.code === event.code);
    if (!toggle) return;
    event.preventDefault();
    changeSearch({ [toggle.option]: !query[toggle.option] });
  }

  function onFieldKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    if (event.key === 'Enter') void runSearch();
    else if (event.key === 'ArrowDown' && rows.length > 0) results.current?.focus();
    else return;
    event.preventDefault();
  }

  function onResultsKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.altKey || event.ctrlKey || event.metaKey || rows.length === 0) return;
    const last = rows.length - 1;
    const to = (i: number) => setActiveKey(rows[Math.max(0, Math.min(last, i))]?.key ?? null);
    if (event.key === 'ArrowDown') to(active + 1);
    else if (event.key === 'ArrowUp') {
      if (active === 0) field.current?.focus();
      else to(active - 1);
    } else if (event.key === 'Home') to(0);
    else if (event.key === 'End') to(last);
    else if (event.key === 'Enter') {
      const row = rows[active];
      if (row) openSearchResult(row.path, row.match);
    } else return;
    event.preventDefault();
  }

  const status =
    outcome.kind === 'invalid'
      ? null
      : search.searching
        ? 'Searching…'
        : outcome.kind === 'idle'
          ? 'Type to search every file of the workspace, your drafts included.'
          : searchSummary(outcome);
  return (
    <div className="ws-search" ref={root} onKeyDown={onPanelKeyDown} data-testid="search-panel">
      <div className="ws-search-bar">
        <input
          ref={field}
          type="search"
          className="ws-search-field"
          aria-label="Search the workspace’s files"
          placeholder="Search the workspace’s files"
          value={query.text}
          onChange={(e) => changeSearch({ text: e.target.value })}
          onKeyDown={onFieldKeyDown}
          aria-invalid={outcome.kind === 'invalid'}
          aria-describedby="ws-search-status"
          spellCheck={false}
          data-testid="search-input"
        />
        {TOGGLES.map((t) => (
          <button
            key={t.option}
            type="button"
            className={`ws-search-toggle ws-search-${t.option}`}
            aria-pressed={query[t.option]}
            aria-label={t.label}
            title={`${t.label} (Alt+${t.code.slice(3)})`}
            onClick={() => changeSearch({ [t.option]: !query[t.option] })}
          >
            {t.text}
          </button>
        ))}
        <span
          id="ws-search-status"
          className="ws-search-status"
          aria-live="polite"
          data-testid="search-summary"
        >
          {outcome.kind === 'invalid' ? (
            <span className="ws-search-invalid">{outcome.message}</span>
          ) : (
            <span className="muted">{status}</span>
          )}
        </span>
      </div>
      {search.failure ? <p className="error-box ws-search-failure">{search.failure}</p> : null}
      {rows.length > 0 ? (
        <div
          ref={results}
          className="ws-search-results"
          role="listbox"
          tabIndex={0}
          aria-label="Search results"
          aria-activedescendant={rowId(active)}
          onKeyDown={onResultsKeyDown}
          data-testid="search-results"
        >
          {groups.map(({ file, first, name, folder }) => (
            <div key={file.path} role="group" aria-label={file.path} className="ws-search-group">
              <div className="ws-search-file" title={file.path} aria-hidden="true">
                <FileIcon path={file.path} />
                <strong>{name}</strong>
                <span className="muted">{folder}</span>
                <span className="ws-search-count">{file.matches.length}</span>
              </div>
              {file.matches.map((match, j) => {
                const i = first + j;
                const key = rows[i]?.key ?? '';
                return (
                  <div
                    key={key}
                    id={rowId(i)}
                    role="option"
                    aria-selected={i === active}
                    aria-label={`${file.path} line ${match.line}: ${match.preview}`}
                    className={`ws-search-match ${i === active ? 'active' : ''}`}
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => {
                      setActiveKey(key);
                      openSearchResult(file.path, match);
                    }}
                    data-testid="search-result"
                    data-path={file.path}
                    data-line={match.line}
                  >
                    <span className="ws-search-line">{match.line}</span>
                    <span className="ws-search-preview">
                      <Highlighted text={match.preview} ranges={[match.range]} />
                    </span>
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
