/**
 * renderer/sync/write-text.ts: how a write of the outbox is described to its author (pure).
 */
import { choiceLabel, tableNoun } from '../../common/records/fields.ts';
import type { WriteState } from '../../common/rpc/contract.ts';

/** Named operations in words. */
const OPERATIONS: Readonly<Record<string, string>> = {
  'approval.decide': 'Your decision on an approval',
  'delegation.create': 'Your delegation',
  'changeset.submit': 'Submitting a changeset',
  'changeset.review': 'Your review of a changeset',
  'changeset.revise': 'Revising a changeset',
  'changeset.withdraw': 'Withdrawing a changeset',
  'changeset.apply': 'Applying a changeset',
  'workspace_run.request': 'Your request for a run in a workspace',
};

/** "a workflow", "an approval". */
function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** What a write of the outbox was, in words: "Your change to a workflow", "A state change of a work item". */
export function describeWrite(write: WriteState): string {
  if (write.name) {
    const known = OPERATIONS[write.name];
    if (known) return known;
    const [machine, verb] = write.name.split('.');
    return verb === 'transition' && machine
      ? `Changing the state of ${withArticle(machine.replace(/_/g, ' '))}`
      : `The action ${choiceLabel(write.name.replace('.', ' '))}`;
  }
  const noun = withArticle(tableNoun(write.table ?? 'record'));
  switch (write.op) {
    case 'insert':
      return `Your new ${noun.replace(/^an? /, '')}`;
    case 'delete':
      return `Your deletion of ${noun}`;
    default:
      return `Your change to ${noun}`;
  }
}

export function writeStatusText(write: WriteState): string {
  switch (write.status) {
    case 'pending':
      return write.retryReason ? `waiting to upload (${write.retryReason})` : 'waiting to upload';
    case 'uploading':
      return 'uploading';
    case 'rejected':
      return write.error ? `rejected: ${write.error.message} (${write.error.code})` : 'rejected';
  }
}
