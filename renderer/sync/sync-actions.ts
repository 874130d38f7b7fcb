/**
 * renderer/sync/sync-actions.ts: the sync actions the UI offers (status bar, palette), each one call
 * to the core whose failure becomes a notice with the core's message.
 */
import { engineClient } from '../state/engine-store.ts';
import { notify } from '../state/notices.ts';

export async function retrySync(): Promise<void> {
  try {
    await engineClient().call('sync.retry', undefined);
    notify({ tone: 'info', text: 'Retrying sync and uploads now.' });
  } catch (error) {
    notify({ tone: 'error', text: `Retry failed: ${(error as Error).message}` });
  }
}

export async function dismissRejection(id: string): Promise<void> {
  try {
    await engineClient().call('writes.dismiss', { id });
  } catch (error) {
    notify({ tone: 'error', text: `Could not dismiss: ${(error as Error).message}` });
  }
}
