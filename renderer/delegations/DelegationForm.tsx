/**
 * renderer/delegations/DelegationForm.tsx: "Hand over my approvals": the delegate (by name, from the
 * reader's own tenant), the window, the risk levels it covers and a reason. Problems are said next to
 * their field before anything is sent; a refusal of the named operation (local or, later, the server's)
 * is shown as its sentence, and the form keeps what was typed. Created delegations are held in the
 * outbox like every write and appear in the list at once.
 */
import { useState } from 'react';
import { isOutpostError } from '../../common/errors.ts';
import { runOperation } from '../../common/rpc/domain.ts';
import { engineClient } from '../state/engine-store.ts';
import { useNamedQuery } from '../state/use-named-query.ts';
import {
  checkDraft,
  emptyDraft,
  RISK_LEVELS,
  type DelegationDraft,
  type DraftField,
} from './delegation-form.ts';

function Problem({ text, id }: { readonly text: string | undefined; readonly id: string }) {
  return text ? (
    <p className="field-problem" id={id} role="alert">
      {text}
    </p>
  ) : null;
}

/** A label and a local date-and-time input, with the problem under it. */
function TimeField(props: {
  readonly field: 'startsAt' | 'endsAt';
  readonly label: string;
  readonly hint?: string;
  readonly value: string;
  readonly problem: string | undefined;
  readonly onChange: (value: string) => void;
}) {
  const id = `delegation-${props.field}`;
  return (
    <>
      <label htmlFor={id}>{props.label}</label>
      <div>
        <input
          id={id}
          type="datetime-local"
          value={props.value}
          aria-invalid={props.problem ? true : undefined}
          aria-describedby={props.problem ? `${id}-problem` : undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {props.hint ? <span className="muted field-hint">{props.hint}</span> : null}
        <Problem text={props.problem} id={`${id}-problem`} />
      </div>
    </>
  );
}

export function DelegationForm({ onCreated }: { readonly onCreated: (name: string) => void }) {
  const candidates = useNamedQuery({ name: 'delegations.candidates', params: {} });
  const [draft, setDraft] = useState<DelegationDraft>(() => emptyDraft(Date.now()));
  const [problems, setProblems] = useState<Partial<Record<DraftField, string>>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const edit = (patch: Partial<DelegationDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setProblems((p) => {
      const next = { ...p };
      for (const k of Object.keys(patch) as DraftField[]) delete next[k];
      return next;
    });
  };
  const describedBy = (field: DraftField) => (problems[field] ? `delegation-${field}-problem` : undefined);

  async function submit(): Promise<void> {
    setRefusal(null);
    const check = checkDraft(draft, Date.now());
    if (!check.ok) {
      setProblems(check.problems);
      const first = Object.keys(check.problems)[0];
      if (first) document.getElementById(`delegation-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await runOperation(engineClient(), { name: 'delegation.create', key: {}, values: check.values });
      const name = candidates?.find((c) => c.id === check.values.delegate_id)?.name ?? 'your delegate';
      setDraft(emptyDraft(Date.now()));
      onCreated(name);
    } catch (error) {
      setRefusal(isOutpostError(error) ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="card delegation-form"
      aria-label="New delegation"
      data-testid="delegation-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>Hand over your approvals</h2>
      <p className="muted">
        While you are away, someone from your tenant decides the approvals that wait for you. They cannot pass
        it on, and it never covers requests of your own.
      </p>
      <div className="delegation-fields">
        <label htmlFor="delegation-delegateId">Who decides for you</label>
        <div>
          <select
            id="delegation-delegateId"
            value={draft.delegateId}
            aria-invalid={problems.delegateId ? true : undefined}
            aria-describedby={describedBy('delegateId')}
            onChange={(e) => edit({ delegateId: e.target.value })}
          >
            <option value="">{candidates === null ? 'Reading your colleagues…' : 'Choose a person'}</option>
            {(candidates ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name === c.email ? c.email : `${c.name} · ${c.email}`}
              </option>
            ))}
          </select>
          <Problem text={problems.delegateId} id="delegation-delegateId-problem" />
        </div>
        <TimeField
          field="startsAt"
          label="From"
          value={draft.startsAt}
          problem={problems.startsAt}
          onChange={(startsAt) => edit({ startsAt })}
        />
        <TimeField
          field="endsAt"
          label="Until"
          hint="at most 90 days"
          value={draft.endsAt}
          problem={problems.endsAt}
          onChange={(endsAt) => edit({ endsAt })}
        />
        <span id="delegation-riskLevels-label">Risk levels</span>
        <div>
          <div
            className="delegation-levels"
            role="group"
            aria-labelledby="delegation-riskLevels-label"
            aria-describedby={describedBy('riskLevels')}
          >
            {RISK_LEVELS.map((level) => (
              <label key={level} className="delegation-level">
                <input
                  id={level === RISK_LEVELS[0] ? 'delegation-riskLevels' : undefined}
                  type="checkbox"
                  checked={draft.riskLevels.includes(level)}
                  onChange={(e) =>
                    edit({
                      riskLevels: e.target.checked
                        ? [...draft.riskLevels, level]
                        : draft.riskLevels.filter((l) => l !== level),
                    })
                  }
                />
                <span className={`risk risk-${level}`}>{level}</span>
              </label>
            ))}
          </div>
          <Problem text={problems.riskLevels} id="delegation-riskLevels-problem" />
        </div>
        <label htmlFor="delegation-reason">Reason</label>
        <div>
          <textarea
            id="delegation-reason"
            rows={2}
            value={draft.reason}
            placeholder="On leave until Monday"
            aria-describedby={describedBy('reason')}
            onChange={(e) => edit({ reason: e.target.value })}
          />
          <Problem text={problems.reason} id="delegation-reason-problem" />
        </div>
      </div>
      {refusal ? (
        <p className="error-box" role="alert" data-testid="delegation-refusal">
          {refusal}
        </p>
      ) : null}
      <div className="row-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          Delegate
        </button>
      </div>
    </form>
  );
}
