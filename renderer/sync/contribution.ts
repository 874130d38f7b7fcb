/**
 * renderer/sync/contribution.ts: the sync commands the palette offers anywhere (the status bar has
 * the same Retry).
 */
import type { Contribution } from '../shell/contribution.ts';
import { retrySync } from './sync-actions.ts';

export const syncContribution: Contribution = {
  id: 'sync',
  title: 'Sync',
  commands: [
    {
      id: 'sync.retry',
      title: 'Retry sync and uploads now',
      category: 'Sync',
      when: 'signedIn',
      run: () => void retrySync(),
    },
  ],
};
