/**
 * common/mutations/transitions.ts: the named operations that move a record through its lifecycle
 * (common/lifecycles/registry.ts), one per lifecycle with events a person may trigger:
 *
 *   <machine>.transition  { key: { id }, values: { event, note? } }    e.g. work_item.transition
 *                                                                      { event: 'cancel' }
 *     permission first: the table's write permission (its rule's, else its domain's)
 *     ─► the event is one a person may trigger on this machine (else 400, naming the allowed ones)
 *     ─► lock the row (FOR UPDATE; not visible: 404)
 *     ─► the lifecycle decides: no move from the current state: 409 invalid_transition, saying what may
 *        happen from here
 *     ─► UPDATE the column (the database's lifecycle trigger checks the same table again) and what must
 *        move with it (a tenant is active exactly when its status is active); the audit records the
 *        machine, the event, both states and the note
 *
 * Approvals and changesets keep their own operations (approval.decide, changeset.*): their moves
 * need more than a state change (a decider, a reason, patches applied).
 *
 * Guarantees: the same code runs optimistically on the client and authoritatively on the server; a
 * status column changes through these operations only (common/sync/rules.ts never lets a plain write
 * set it); the event and the note are parsed by strict schemas.
 */
import { z } from 'zod';
import { OutpostError } from '../errors.ts';
import { choiceLabel, joinWords, tableNoun } from '../records/fields.ts';
import { allowedUserEvents, LIFECYCLES, type LifecycleBinding } from '../lifecycles/registry.ts';
import { nextState, REFUSED } from '../lifecycles/state-machine.ts';
import { DOMAINS, ruleFor } from '../sync/rules.ts';
import {
  byId,
  lockRow,
  parsePart,
  textArg,
  type NamedOperation,
  type OperationOutcome,
  type Row,
} from './named-operation.ts';
import type { NamedMutation } from './protocol.ts';
import { queryRows, quoteIdent, textOf } from './sql.ts';

/** Machines with their own operations. */
const OWN_OPERATIONS = new Set(['approval', 'workspace_changeset']);

export const transitionKey = byId;
export const transitionValues = z.strictObject({
  event: z.string().regex(/^[a-z_]{1,40}$/, 'an event name'),
  note: textArg(2000).optional(),
});

export interface TransitionResult extends Record<string, unknown> {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly event: string;
}

/** The name of the transition operation of a lifecycle. */
export function transitionName(machine: string): `${string}.transition` {
  return `${machine}.transition`;
}

/** The permission that moves a table's records: its rule's write permission, else its domain's. */
export function transitionPermission(table: string): string {
  const rule = ruleFor(table);
  const permission = rule?.write?.permission ?? DOMAINS.find((d) => d.id === rule?.domain)?.write;
  if (!permission) throw new Error(`transitions: ${table} has no write permission to move its records`);
  return permission;
}

/**
 * What moves with the state: a value, the acting user, the time of the move, the acting user unless one
 * is set already, or nothing (null). Constant per (table, event); CHECK constraints and the columns that
 * record who moved a record and when.
 */
type Alongside = boolean | null | 'actor' | 'now' | 'actor_unless_set';

const ALONGSIDE: Readonly<
  Record<string, (event: string, to: string) => Readonly<Record<string, Alongside>>>
> = {
  // A tenant is active exactly when its status is (tenants_is_active_matches_status).
  tenants: (_event, to) => ({ is_active: to === 'active' }),
  onboarding_checklist_items: (event) =>
    event === 'complete'
      ? { completed_by: 'actor', completed_at: 'now' }
      : event === 'reopen'
        ? { completed_by: null, completed_at: null }
        : {},
  hallucination_flags: () => ({ reviewed_by: 'actor', reviewed_at: 'now' }),
  escalations: (event) =>
    event === 'assign'
      ? { assigned_to: 'actor_unless_set' }
      : event === 'unassign'
        ? { assigned_to: null }
        : event === 'resolve'
          ? { resolved_at: 'now' }
          : event === 'reopen'
            ? { resolved_at: null }
            : {},
  alerts: (event) =>
    event === 'resolve' ? { resolved_at: 'now' } : event === 'unmute' ? { resolved_at: null } : {},
};

/** `SET` terms for the moved columns; `$2` is the new state, `$3` the acting user. */
function assignments(column: string, alongside: Readonly<Record<string, Alongside>>): string[] {
  const terms = [`${quoteIdent(column)} = $2`];
  for (const [name, value] of Object.entries(alongside)) {
    const target = quoteIdent(name);
    if (value === 'actor') terms.push(`${target} = $3::uuid`);
    else if (value === 'now') terms.push(`${target} = now()`);
    else if (value === 'actor_unless_set') terms.push(`${target} = coalesce(t.${target}, $3::uuid)`);
    else if (value === null) terms.push(`${target} = NULL`);
    else terms.push(`${target} = ${value ? 'true' : 'false'}`);
  }
  return terms;
}

function defineTransition(
  binding: LifecycleBinding,
): NamedOperation<`${string}.transition`, typeof transitionKey, typeof transitionValues, TransitionResult> {
  const { lifecycle, table, column } = binding;
  const name = transitionName(lifecycle.name);
  const permission = transitionPermission(table);
  const noun = tableNoun(table);
  return {
    name,
    permission,
    writes: [table],
    key: transitionKey,
    values: transitionValues,
    prepare(mutation: NamedMutation, context) {
      if (!context.actor.permissions.has(permission))
        throw new OutpostError('forbidden', `${name} needs the permission ${permission}.`, { permission });
      const key = parsePart(transitionKey, mutation.key, 'key', name);
      const values = parsePart(transitionValues, mutation.values, 'values', name);
      if (!binding.userEvents.includes(values.event))
        throw new OutpostError(
          'validation',
          `“${values.event}” is not something a person does to a ${noun}; the choices are ${joinWords(
            binding.userEvents.map((e) => choiceLabel(e).toLowerCase()),
            'or',
          )}.`,
          { field: 'event' },
        );
      return {
        label: name,
        async run(sql): Promise<OperationOutcome<TransitionResult>> {
          const locked = await lockRow(sql, context, table, key.id);
          if (!locked) throw new OutpostError('not_found', `No ${noun} ${key.id} is visible to you.`);
          const before = locked.row;
          const from = textOf(before[column]);
          const to = nextState(lifecycle, from, values.event);
          if (to === REFUSED) {
            const possible = allowedUserEvents(binding, from).map((e) => choiceLabel(e.event).toLowerCase());
            throw new OutpostError(
              'invalid_transition',
              `This ${noun} is ${choiceLabel(from).toLowerCase()}, so it cannot ${choiceLabel(values.event).toLowerCase()}; ${
                possible.length > 0
                  ? `from here you can ${joinWords(possible, 'or')}`
                  : `${choiceLabel(from).toLowerCase()} is final`
              }.`,
              { from, event: values.event },
            );
          }
          const sets = assignments(column, ALONGSIDE[table]?.(values.event, to) ?? {});
          const [updated] = await queryRows<{ row: Row }>(
            sql,
            `UPDATE ${quoteIdent(context.catalog.require(table).name)} AS t SET ${sets.join(', ')}
              WHERE t.id = $1 RETURNING to_jsonb(t) AS row`,
            sets.some((term) => term.includes('$3')) ? [key.id, to, context.actor.userId] : [key.id, to],
          );
          if (!updated) throw new OutpostError('not_found', `No ${noun} ${key.id} is visible to you.`);
          const scope = table === 'tenants' ? before['id'] : before['tenant_id'];
          return {
            result: { id: key.id, from, to, event: values.event },
            changes: [
              {
                tenantId: textOf(scope),
                action: `${lifecycle.name}.${values.event}`,
                category: ruleFor(table)?.domain ?? table,
                entityType: lifecycle.name,
                entityId: key.id,
                before: context.catalog.publicState(table, before),
                after: context.catalog.publicState(table, updated.row),
                metadata: {
                  machine: lifecycle.name,
                  event: values.event,
                  from,
                  to,
                  ...(values.note ? { note: values.note } : {}),
                },
              },
            ],
          };
        },
      };
    },
  };
}

/** One transition operation per lifecycle a person may move (see the module header). */
export const TRANSITION_OPERATIONS = LIFECYCLES.filter(
  (binding) => binding.userEvents.length > 0 && !OWN_OPERATIONS.has(binding.lifecycle.name),
).map(defineTransition);
