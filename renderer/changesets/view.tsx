/**
 * renderer/changesets/view.tsx: the changeset review (`#/changesets/<id>[/<file path>]`), reached from
 * a workspace's changesets and from the approvals inbox. Keys while it shows (off while typing, in the
 * diff editor too): j / k next and previous file, v viewed, t side by side or inline, c comment,
 * a approve, r request changes; every action is also a palette command, offered only when the
 * changeset's state and the reader's permissions allow it (the changeset.may* context keys).
 */
import { navigate } from '../app/routes.ts';
import type { View } from '../shell/contribution.ts';
import { ChangesetReview } from './ChangesetReview.tsx';
import {
  apply,
  approve,
  openRejectDialog,
  revise,
  submit,
  toggleLayout,
  withdraw,
} from './review-actions.ts';
import { useReview } from './review-store.ts';
import { changesetAddress, type ChangesetParams } from './route.ts';
import { setViewed, viewedVersions } from './viewed.ts';
import { useEngine } from '../state/engine-store.ts';

const here = 'view == changeset && !overlay';

function move(step: 1 | -1): void {
  const { changesetId, paths, path } = useReview.getState();
  if (!changesetId || paths.length === 0) return;
  const at = path ? paths.indexOf(path) : -1;
  const next = paths[Math.min(paths.length - 1, Math.max(0, at + step))];
  if (next && next !== path) navigate(changesetAddress, { changesetId, path: next });
}

function toggleViewed(): void {
  const { changesetId, version } = useReview.getState();
  const userId = useEngine.getState().session?.user.id;
  if (!changesetId || !version || !userId) return;
  setViewed(userId, changesetId, version, !viewedVersions(userId, changesetId).has(version));
}

function focusComment(): void {
  document.querySelector<HTMLTextAreaElement>('[data-testid="review-comment-form"] textarea')?.focus();
}

/** Runs `action` on the changeset shown. */
const onShown = (action: (id: string) => unknown) => () => {
  const id = useReview.getState().changesetId;
  if (id) void action(id);
};

export const changesetView: View<ChangesetParams> = {
  ...changesetAddress,
  title: 'Changeset review',
  permission: 'changesets:read',
  render: (params) => <ChangesetReview changesetId={params.changesetId} path={params.path} />,
  contextKeys: [
    { key: 'changeset.mayReview', description: 'the reader may approve or reject the changeset shown' },
    { key: 'changeset.mayApply', description: 'the changeset shown is approved and the reader may apply it' },
    { key: 'changeset.maySubmit', description: 'the changeset shown is a draft the reader may submit' },
    {
      key: 'changeset.mayRevise',
      description: 'the changeset shown was rejected and the reader may revise it',
    },
    {
      key: 'changeset.mayWithdraw',
      description: 'the reader proposed the changeset shown, in review or approved, and may take it back',
    },
  ],
  commands: [
    { id: 'changeset.nextFile', title: 'Next file', category: 'Review', when: here, run: () => move(1) },
    {
      id: 'changeset.previousFile',
      title: 'Previous file',
      category: 'Review',
      when: here,
      run: () => move(-1),
    },
    {
      id: 'changeset.toggleViewed',
      title: 'Mark the file viewed, or not',
      category: 'Review',
      when: here,
      run: toggleViewed,
    },
    {
      id: 'changeset.toggleLayout',
      title: 'Diff side by side or inline',
      category: 'Review',
      when: here,
      run: toggleLayout,
    },
    {
      id: 'changeset.comment',
      title: 'Comment on the cursor’s line',
      category: 'Review',
      when: here,
      run: focusComment,
    },
    {
      id: 'changeset.approve',
      title: 'Approve the changeset',
      category: 'Review',
      when: `${here} && changeset.mayReview`,
      run: onShown(approve),
    },
    {
      id: 'changeset.reject',
      title: 'Request changes (reject with a reason)…',
      category: 'Review',
      when: `${here} && changeset.mayReview`,
      run: openRejectDialog,
    },
    {
      id: 'changeset.submit',
      title: 'Submit the changeset for review',
      category: 'Review',
      when: `${here} && changeset.maySubmit`,
      run: onShown(submit),
    },
    {
      id: 'changeset.revise',
      title: 'Revise the changeset (back to draft)',
      category: 'Review',
      when: `${here} && changeset.mayRevise`,
      run: onShown(revise),
    },
    {
      id: 'changeset.withdraw',
      title: 'Withdraw the changeset (back to draft)',
      category: 'Review',
      when: `${here} && changeset.mayWithdraw`,
      run: onShown(withdraw),
    },
    {
      id: 'changeset.apply',
      title: 'Apply the changeset to the workspace',
      category: 'Review',
      when: `${here} && changeset.mayApply`,
      run: onShown(apply),
    },
  ],
  keybindings: [
    { key: 'j', command: 'changeset.nextFile', when: here },
    { key: 'k', command: 'changeset.previousFile', when: here },
    { key: 'v', command: 'changeset.toggleViewed', when: here },
    { key: 't', command: 'changeset.toggleLayout', when: here },
    { key: 'c', command: 'changeset.comment', when: here },
    { key: 'a', command: 'changeset.approve', when: `${here} && changeset.mayReview` },
    { key: 'r', command: 'changeset.reject', when: `${here} && changeset.mayReview` },
  ],
};
