/**
 * renderer/settings/account-actions.ts: account actions offered in settings and the palette: sign
 * out, and download a backup of this account's local database.
 */
import { navigate } from '../app/routes.ts';
import { signInView } from '../auth/view.tsx';
import { engineClient, useEngine } from '../state/engine-store.ts';
import { notify } from '../state/notices.ts';

export async function signOut(): Promise<void> {
  const pending = useEngine.getState().sync?.pendingWrites ?? 0;
  if (
    pending > 0 &&
    !window.confirm(
      `${pending} change${pending === 1 ? ' has' : 's have'} not reached the server yet. They stay on this device and upload the next time this account signs in. Sign out?`,
    )
  )
    return;
  try {
    await engineClient().call('session.signOut', undefined);
    navigate(signInView, {});
  } catch (error) {
    notify({ tone: 'error', text: `Sign-out failed: ${(error as Error).message}` });
  }
}

export async function downloadBackup(): Promise<void> {
  try {
    const { fileName, bytes } = await engineClient().call('database.backup', undefined);
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/gzip' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    notify({
      tone: 'info',
      text: `Backup saved as ${fileName} (${(bytes.byteLength / 1e6).toFixed(1)} MB).`,
    });
  } catch (error) {
    notify({ tone: 'error', text: `Backup failed: ${(error as Error).message}` });
  }
}
