/**
 * renderer/inbox/InboxDecisions.tsx: the decisions made on this device in this window, with what
 * became of each, from the core's write list: still on this device (with the time left to undo it, or
 * waiting for the network), being sent, on the server, or refused with the server's reason. A refused
 * decision stays until the user dismisses it: nothing leaves the screen silently.
 */
import type { WriteState } from '../../common/rpc/contract.ts';
import { useEngine } from '../state/engine-store.ts';
import { dismissRejection } from '../sync/sync-actions.ts';
import { forgetDecision, UNDO_WINDOW_MS } from './inbox-actions.ts';
import { useNow } from '../records/live-record.ts';
import { useInbox, writeSeen, type Decision } from './inbox-store.ts';
import { WhatHappened } from './WhoDecided.tsx';

function outcome(
  decision: Decision,
  write: WriteState | undefined,
  now: number,
  online: boolean,
): { text: string; tone: string } {
  if (!write && !writeSeen(decision.mutationId) && now - decision.at < 10_000)
    return { text: 'Saving on this device…', tone: 'busy' };
  if (!write) return { text: 'On the server', tone: 'done' };
  if (write.status === 'rejected')
    return { text: `Refused by the server: ${write.error?.message ?? 'no reason given'}`, tone: 'error' };
  if (write.status === 'uploading') return { text: 'Sending…', tone: 'busy' };
  // The core's clock and this window's may differ a little: never more than the window itself.
  const wait = write.sendAfter
    ? Math.min(UNDO_WINDOW_MS / 1000, Math.ceil((Date.parse(write.sendAfter) - now) / 1000))
    : 0;
  if (write.undoable && wait > 0 && online)
    return { text: `Sending in ${wait} s · z to undo`, tone: 'waiting' };
  if (write.undoable) return { text: 'Waiting to sync · z to undo', tone: 'waiting' };
  return { text: `Waiting to sync${write.retryReason ? ` (${write.retryReason})` : ''}`, tone: 'waiting' };
}

function Line({
  decision,
  write,
  now,
  online,
}: {
  readonly decision: Decision;
  readonly write: WriteState | undefined;
  readonly now: number;
  readonly online: boolean;
}) {
  const result = outcome(decision, write, now, online);
  return (
    <li className={`inbox-decision ${result.tone}`} data-testid="inbox-decision">
      <span className={`decision-verb ${decision.decision}`}>
        {decision.decision === 'approve' ? 'Approved' : 'Rejected'}
      </span>
      <span className="inbox-title">{decision.item.title}</span>
      {decision.reason ? <span className="muted">“{decision.reason}”</span> : null}
      <span className="decision-outcome" data-testid="inbox-decision-outcome">
        {result.text}
      </span>
      {write?.status === 'rejected' ? <WhatHappened item={decision.item} /> : null}
      {write?.status === 'rejected' ? (
        <button
          type="button"
          className="link-button"
          onClick={() => {
            void dismissRejection(decision.mutationId);
            forgetDecision(decision.mutationId);
          }}
        >
          Dismiss
        </button>
      ) : !write ? (
        <button type="button" className="link-button" onClick={() => forgetDecision(decision.mutationId)}>
          Clear
        </button>
      ) : null}
    </li>
  );
}

export function InboxDecisions() {
  const decisions = useInbox((s) => s.decisions);
  const writes = useEngine((s) => s.writes);
  const online = useEngine((s) => s.sync?.state !== 'offline');
  const now = useNow(1000);
  if (decisions.length === 0) return null;
  const byId = new Map(writes.map((w) => [w.id, w]));
  return (
    <section className="inbox-decisions" aria-label="Your decisions on this device">
      <h3>Your decisions</h3>
      <ul>
        {[...decisions].reverse().map((d) => (
          <Line key={d.mutationId} decision={d} write={byId.get(d.mutationId)} now={now} online={online} />
        ))}
      </ul>
    </section>
  );
}
