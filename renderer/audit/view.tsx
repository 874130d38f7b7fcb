/**
 * renderer/audit/view.tsx: the audit view (`#/audit`, `g a`): the tenant's audit timeline on this
 * device with its chain verification (renderer/audit/AuditTimeline.tsx). j / k (or ↓ / ↑ in the list)
 * move through the events, Enter opens the active event's record table, v verifies the chain.
 */
import { navigate } from '../app/routes.ts';
import type { View } from '../shell/contribution.ts';
import { focusAuditList, moveActive } from './audit-store.ts';
import { AuditTimeline, openActiveRecord } from './AuditTimeline.tsx';
import { auditAddress, type AuditParams } from './route.ts';
import { startVerification } from './VerifyChain.tsx';

const keys = 'view == audit && !overlay';

export const auditView: View<AuditParams> = {
  ...auditAddress,
  title: 'Audit',
  permission: 'audit:read',
  nav: { label: 'Audit', order: 9, params: { event: null } },
  render: (params) => <AuditTimeline selected={params.event} />,
  commands: [
    {
      id: 'audit.open',
      title: 'Open the audit timeline',
      category: 'Go to',
      when: 'signedIn',
      run: () => {
        navigate(auditAddress, { event: null });
        requestAnimationFrame(focusAuditList);
      },
    },
    {
      id: 'audit.next',
      title: 'Next event',
      category: 'Audit',
      when: 'view == audit',
      run: () => moveActive(1),
    },
    {
      id: 'audit.previous',
      title: 'Previous event',
      category: 'Audit',
      when: 'view == audit',
      run: () => moveActive(-1),
    },
    {
      id: 'audit.openRecord',
      title: "Open the event's records in the explorer",
      category: 'Audit',
      when: 'view == audit',
      run: () => openActiveRecord(),
    },
    {
      id: 'audit.verify',
      title: 'Verify the audit chain on this device',
      category: 'Audit',
      when: 'view == audit',
      run: startVerification,
    },
  ],
  keybindings: [
    { key: 'g a', command: 'audit.open', when: '!overlay' },
    { key: 'j', command: 'audit.next', when: keys },
    { key: 'k', command: 'audit.previous', when: keys },
    { key: 'Enter', command: 'audit.openRecord', when: keys },
    { key: 'v', command: 'audit.verify', when: keys },
  ],
  elementKeys: [{ keys: ['ArrowUp', 'ArrowDown'], title: 'Move through the events', when: 'view == audit' }],
};
