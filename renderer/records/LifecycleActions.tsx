/**
 * renderer/records/LifecycleActions.tsx: the moves a person may make on a record's lifecycle from its
 * current state (common/lifecycles: the allowed user events only), as buttons that run the named
 * operation `<machine>.transition` (optimistic, queued for upload). Nothing else can change a status:
 * a state the lifecycle does not allow from here is never offered.
 *
 * Shown only with the permission that moves the table's records; the result of a move is reported
 * through `onMoved` (its mutation id, for the write status).
 */
import { useState } from 'react';
import { choiceLabel } from '../../common/records/fields.ts';
import { allowedUserEvents, lifecycleFor } from '../../common/lifecycles/registry.ts';
import { transitionPermission } from '../../common/mutations/transitions.ts';
import { runOperation } from '../../common/rpc/domain.ts';
import { engineClient, useEngine } from '../state/engine-store.ts';

/** Events whose button warns (they end or undo something). */
const DESTRUCTIVE = new Set([
  'cancel',
  'archive',
  'revoke',
  'suspend',
  'dismiss',
  'deactivate',
  'disable',
  'close',
]);

export function LifecycleActions(props: {
  readonly table: string;
  readonly id: string;
  readonly state: string;
  readonly onMoved: (mutationId: string) => void;
  readonly onError: (error: unknown) => void;
}) {
  const binding = lifecycleFor(props.table);
  const permissions = useEngine((s) => s.session?.user.permissions);
  const [busy, setBusy] = useState(false);
  if (!binding || !permissions?.includes(transitionPermission(props.table))) return null;
  const events = allowedUserEvents(binding, props.state);
  if (events.length === 0)
    return <p className="muted lifecycle-final">{choiceLabel(props.state)} is final.</p>;

  async function move(event: string) {
    setBusy(true);
    try {
      const { mutationId } = await runOperation(engineClient(), {
        name: `${binding?.lifecycle.name ?? ''}.transition`,
        key: { id: props.id },
        values: { event },
      });
      props.onMoved(mutationId);
    } catch (error) {
      props.onError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="lifecycle-actions" role="group" aria-label="Change the state">
      {events.map(({ event, to }) => (
        <button
          key={event}
          type="button"
          className={`button ${DESTRUCTIVE.has(event) ? 'button-danger' : ''}`}
          disabled={busy}
          title={`${choiceLabel(props.state)} → ${choiceLabel(to)}`}
          onClick={() => void move(event)}
        >
          {choiceLabel(event)}
        </button>
      ))}
    </div>
  );
}
