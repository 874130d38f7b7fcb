/**
 * renderer/delegations/Delegations.tsx: the delegations view (`#/delegations`): the form that hands the
 * reader's approvals to a colleague for a while (when they may delegate), the delegations they gave
 * (each revocable while it is not over) and the ones they received, by name, with the window in local
 * time and where each stands now. Ended and revoked ones show on request. Live from
 * `delegations.mine`, so a delegation made or revoked elsewhere shows when it syncs.
 */
import { useState } from 'react';
import { isOutpostError } from '../../common/errors.ts';
import type { QueryRow } from '../../common/queries/registry.ts';
import { runOperation } from '../../common/rpc/domain.ts';
import { formatDateTime } from '../records/format.ts';
import { useNow } from '../records/live-record.ts';
import { engineClient, useEngine } from '../state/engine-store.ts';
import { useNamedQuery } from '../state/use-named-query.ts';
import { DelegationForm } from './DelegationForm.tsx';
import { delegationState, riskLevelsText } from './delegation-form.ts';
import './delegations.css';

type DelegationRow = QueryRow<'delegations.mine'>;

const STATE_TEXT = {
  active: 'Active now',
  scheduled: 'Starts later',
  ended: 'Ended',
  revoked: 'Revoked',
} as const;

function When({ iso }: { readonly iso: string }) {
  const at = formatDateTime(iso);
  return at ? (
    <time dateTime={at.iso} title={at.iso}>
      {at.text} <span className="muted">({at.relative})</span>
    </time>
  ) : null;
}

function Line(props: {
  readonly row: DelegationRow;
  readonly now: number;
  readonly onRevoke: (row: DelegationRow) => void;
}) {
  const { row } = props;
  const state = delegationState(row, props.now);
  const person = row.direction === 'given' ? row.delegate_name : row.delegator_name;
  return (
    <li className={`delegation-line ${state}`} data-testid="delegation" data-state={state}>
      <div className="delegation-who">
        <strong>{person ?? 'Someone you cannot see'}</strong>
        <span className={`delegation-state ${state}`}>{STATE_TEXT[state]}</span>
      </div>
      <div className="delegation-window">
        <When iso={row.starts_at} /> → <When iso={row.ends_at} />
      </div>
      <div className="muted">
        {riskLevelsText(row.risk_levels)}
        {row.reason ? ` · “${row.reason}”` : ''}
      </div>
      {row.direction === 'given' && (state === 'active' || state === 'scheduled') ? (
        <button type="button" className="button button-danger" onClick={() => props.onRevoke(row)}>
          Revoke
        </button>
      ) : null}
    </li>
  );
}

function List(props: {
  readonly title: string;
  readonly empty: string;
  readonly rows: readonly DelegationRow[] | null;
  readonly now: number;
  readonly onRevoke: (row: DelegationRow) => void;
}) {
  return (
    <section className="card" aria-label={props.title}>
      <h2>
        {props.title} <span className="muted">{props.rows?.length ?? ''}</span>
      </h2>
      {props.rows === null ? <p className="muted">Reading this device’s data…</p> : null}
      {props.rows?.length === 0 ? <p className="muted">{props.empty}</p> : null}
      <ul className="delegation-list">
        {(props.rows ?? []).map((row) => (
          <Line key={row.id} row={row} now={props.now} onRevoke={props.onRevoke} />
        ))}
      </ul>
    </section>
  );
}

export function Delegations() {
  const now = useNow(30_000);
  const mayDelegate = useEngine((s) => s.session?.user.permissions.includes('approvals:delegate') ?? false);
  const scope = useEngine((s) => s.scope);
  const [showPast, setShowPast] = useState(false);
  const [notice, setNotice] = useState<{ text: string; tone: 'info' | 'error' } | null>(null);
  const rows = useNamedQuery({
    name: 'delegations.mine',
    params: { includeInactive: showPast, tenantId: scope },
  });
  const given = rows?.filter((r) => r.direction === 'given') ?? null;
  const received = rows?.filter((r) => r.direction === 'received') ?? null;

  async function revoke(row: DelegationRow): Promise<void> {
    const name = row.delegate_name ?? 'your delegate';
    try {
      await runOperation(engineClient(), { name: 'delegation.revoke', key: { id: row.id }, values: {} });
      setNotice({ text: `Revoked: ${name} no longer decides for you.`, tone: 'info' });
    } catch (error) {
      setNotice({
        text: `Could not revoke the delegation to ${name}: ${isOutpostError(error) ? error.message : String(error)}`,
        tone: 'error',
      });
    }
  }

  return (
    <div className="delegations" data-testid="delegations">
      <header className="delegations-header">
        <h1>Delegations</h1>
        <label className="switch-line">
          <input type="checkbox" checked={showPast} onChange={(e) => setShowPast(e.target.checked)} /> Show
          ended and revoked
        </label>
      </header>
      {notice ? (
        <p
          className={notice.tone === 'error' ? 'error-box' : 'info-box'}
          role={notice.tone === 'error' ? 'alert' : 'status'}
          data-testid="delegation-notice"
        >
          {notice.text}
        </p>
      ) : null}
      <div className="delegations-columns">
        <div>
          <List
            title="You gave"
            empty="You have not handed your approvals to anyone."
            rows={given}
            now={now}
            onRevoke={(row) => void revoke(row)}
          />
          <List
            title="You received"
            empty="Nobody has handed their approvals to you."
            rows={received}
            now={now}
            onRevoke={(row) => void revoke(row)}
          />
        </div>
        {mayDelegate ? (
          <DelegationForm
            onCreated={(name) =>
              setNotice({
                text: `Delegated: ${name} now sees the approvals that wait for you, in their inbox.`,
                tone: 'info',
              })
            }
          />
        ) : (
          <section className="card">
            <h2>Hand over your approvals</h2>
            <p className="muted">Your role cannot delegate approvals.</p>
          </section>
        )}
      </div>
    </div>
  );
}
