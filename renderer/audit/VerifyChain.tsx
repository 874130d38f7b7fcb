/**
 * renderer/audit/VerifyChain.tsx: the "Verify chain" button of the audit view: runs `audit.verify` (the
 * tenant's hash chain checked on this device, core/audit/verify-subscription.ts), shows its progress as
 * a bar, then the result: intact from the first to the last link, or the first broken row (what was
 * expected and what was found), which becomes the active event so the list scrolls to it highlighted.
 */
import { useEffect } from 'react';
import type { AuditVerificationEvent } from '../../common/rpc/contract.ts';
import { formatDateTime } from '../records/format.ts';
import { useEngine } from '../state/engine-store.ts';
import { NO_AUDIT_FILTERS } from './audit-model.ts';
import { MAX_LISTED, PAGE, useAudit } from './audit-store.ts';

let stopRunning: (() => void) | null = null;

/** Starts verifying the shown tenant's chain (the button, `v`, the palette). */
export function startVerification(): void {
  const client = useEngine.getState().client;
  const { tenantId } = useAudit.getState();
  if (!client || !tenantId) return;
  stopRunning?.();
  useAudit.setState({ verifying: true, verification: null });
  let total = 0;
  stopRunning = client.subscribe(
    'audit.verify',
    { tenantId },
    (event) => {
      if (event.state === 'running') total = event.total;
      useAudit.setState({ verification: event, verifying: event.state === 'running' });
      if (event.state === 'broken' && event.broken.id) {
        // The broken row becomes the active event: list enough events to hold it, unfiltered.
        const newer = Math.max(0, total - event.broken.position);
        useAudit.setState({
          filters: NO_AUDIT_FILTERS,
          limit: Math.min(MAX_LISTED, Math.max(PAGE, newer + 50)),
          active: event.broken.id,
        });
      }
    },
    (error) => {
      useAudit.setState({ verifying: false, verification: null });
      window.alert(error.message);
    },
  );
}

const when = (iso: string | null) => (iso ? (formatDateTime(iso)?.text ?? iso) : '');

function Result({ event }: { readonly event: AuditVerificationEvent }) {
  if (event.state === 'running') return null;
  if (event.state === 'intact')
    return (
      <p className="audit-verdict ok" data-testid="audit-verdict" data-state="intact" role="status">
        <strong>Chain intact</strong>: {event.checked.toLocaleString()} events checked on this device.
        {event.first && event.last ? (
          <>
            {' '}
            First link: event {event.first.chainSeq} ({when(event.first.createdAt)}, hash{' '}
            <code>{event.first.hash.slice(0, 12)}…</code>); last link: event {event.last.chainSeq} (
            {when(event.last.createdAt)}, hash <code>{event.last.hash.slice(0, 12)}…</code>).
          </>
        ) : null}
      </p>
    );
  const b = event.broken;
  return (
    <div
      className="audit-verdict broken"
      data-testid="audit-verdict"
      data-state="broken"
      data-kind={b.kind}
      role="alert"
    >
      <p>
        <strong>Chain broken</strong> at event {b.chainSeq ?? '?'}
        {b.createdAt ? ` (${when(b.createdAt)})` : ''}: {b.message}
      </p>
      <p className="muted">
        Expected <code>{b.expected}</code>, found <code>{b.found}</code>. {event.checked.toLocaleString()}{' '}
        events were checked up to it.
      </p>
    </div>
  );
}

export function VerifyChain() {
  const verification = useAudit((s) => s.verification);
  const verifying = useAudit((s) => s.verifying);
  const tenantId = useAudit((s) => s.tenantId);
  useEffect(() => {
    return () => {
      stopRunning?.();
      stopRunning = null;
    };
  }, []);
  const running = verification?.state === 'running' ? verification : null;
  return (
    <section className="audit-verify" aria-label="Chain verification">
      <button
        type="button"
        onClick={startVerification}
        disabled={verifying || !tenantId}
        data-testid="audit-verify"
      >
        {verifying ? 'Verifying…' : 'Verify chain'}
      </button>
      {running ? (
        <label className="audit-progress">
          <progress max={Math.max(1, running.total)} value={running.checked} data-testid="audit-progress" />
          <span className="muted">
            {running.checked.toLocaleString()} of {running.total.toLocaleString()} events
          </span>
        </label>
      ) : null}
      {verification ? <Result event={verification} /> : null}
    </section>
  );
}
