/**
 * main/index.ts: the Electron main process. Deliberately thin: it wires windows, the core's utility
 * process, the secrets vault and the quit sequence; the decisions live in small tested modules.
 *
 *   ready ─► vault (safeStorage, or memory) ─► fork core ─► window ─► did-finish-load ─► port
 *   core exits unexpectedly ─► restart (≤ 3 a minute, every window gets a new port) ─► else a dialog:
 *                               restart or quit
 *   quit ─► before-quit cancelled ─► core closes the database (≤ 10 s, then killed) ─► app.quit()
 *
 * Guarantees: one instance per user (a second launch focuses the first window); every window runs
 * with contextIsolation, sandbox, no nodeIntegration and the CSP of common/host; navigation and new
 * windows are locked to the app; permission requests (camera, notifications, ...) are denied;
 * <webview> is refused; the app never exits while the core still has its database open, unless the
 * core stops answering for 10 s (main/lifecycle/quit-sequence.ts).
 */
import { app, BrowserWindow, dialog, safeStorage, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY_HEADER } from '../common/host/content-security-policy.ts';
import { appPaths } from './app-paths.ts';
import { CoreProcess } from './core/core-process.ts';
import { CoreRestartPolicy } from './lifecycle/core-restart-policy.ts';
import { QuitSequence, type QuitAction } from './lifecycle/quit-sequence.ts';
import {
  EncryptedSecretFile,
  MemorySecretVault,
  keychainIsUsable,
  type SecretVault,
} from './secrets/secret-vault.ts';
import { createMainWindow } from './window/main-window.ts';

const QUIT_TIMEOUT_MS = 10_000;
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const log = (message: string) => console.warn(`[outpost main] ${message}`);

function installSessionPolicy(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  if (!devServerUrl) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER],
        },
      });
    });
  }
}

/** safeStorage when the OS keychain protects it; otherwise tokens stay in memory (docs/security.md). */
function createVault(file: string): SecretVault {
  const status = {
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    platform: process.platform,
    ...(process.platform === 'linux' ? { linuxBackend: safeStorage.getSelectedStorageBackend() } : {}),
  };
  if (keychainIsUsable(status)) {
    const cipher = {
      encryptString: (plain: string) => safeStorage.encryptString(plain),
      decryptString: (encrypted: Buffer) => safeStorage.decryptString(encrypted),
    };
    return new EncryptedSecretFile(file, cipher, log);
  }
  log(
    `no usable OS keychain (${status.linuxBackend ?? 'encryption unavailable'}): ` +
      'sign-in is kept in memory only and must be repeated at every launch',
  );
  return new MemorySecretVault();
}

function startApp(): void {
  const paths = appPaths({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
    userData: app.getPath('userData'),
    mainDir: path.dirname(fileURLToPath(import.meta.url)),
  });
  const quit = new QuitSequence();
  const restarts = new CoreRestartPolicy();
  let quitTimer: ReturnType<typeof setTimeout> | null = null;

  const perform = (actions: readonly QuitAction[], event?: { preventDefault(): void }) => {
    for (const action of actions) {
      if (action === 'preventQuit') event?.preventDefault();
      else if (action === 'sendQuit') core.requestQuit();
      else if (action === 'startTimer') {
        quitTimer = setTimeout(() => perform(quit.dispatch('timeout')), QUIT_TIMEOUT_MS);
      } else if (action === 'clearTimer' && quitTimer) clearTimeout(quitTimer);
      else if (action === 'killCore') {
        log(`the core did not close within ${QUIT_TIMEOUT_MS / 1000} s; killing it`);
        core.kill();
      } else if (action === 'quitApp') app.quit();
    }
  };

  const startCore = () => {
    core.start();
    perform(quit.dispatch('coreStarted'));
  };

  const core = new CoreProcess({
    entry: paths.coreEntry,
    dataDir: paths.dataDir,
    migrationsDir: paths.migrationsDir,
    vault: createVault(paths.secretsFile),
    events: {
      onStarted: () => undefined,
      onFailed(code, message) {
        dialog.showErrorBox('Outpost could not open its data', `${message}\n\n(${code})`);
        app.quit();
      },
      onClosed: () => perform(quit.dispatch('coreClosed')),
      onExit(exitCode) {
        const wasClosing = quit.state === 'closing';
        perform(quit.dispatch('coreExited'));
        if (wasClosing || quit.state !== 'coreDown') return;
        log(`the core exited unexpectedly (code ${exitCode})`);
        if (restarts.onUnexpectedExit(Date.now()) === 'restart') {
          startCore();
          return;
        }
        void dialog
          .showMessageBox({
            type: 'error',
            message: 'The Outpost engine keeps stopping',
            detail:
              `It exited with code ${exitCode}, several times within a minute. Your data and pending ` +
              'changes are kept on disk. Restart it, or quit and report the problem.',
            buttons: ['Restart', 'Quit'],
            defaultId: 0,
            cancelId: 1,
          })
          .then(({ response }) => {
            if (quit.state !== 'coreDown') return;
            if (response === 0) {
              restarts.reset();
              startCore();
            } else app.quit();
          });
      },
    },
  });

  const openWindow = () =>
    createMainWindow({
      preload: paths.preload,
      rendererIndex: paths.rendererIndex,
      devServerUrl,
      windowStateFile: paths.windowStateFile,
      onLoaded: (contents) => core.connect(contents),
      log,
    });

  app.on('before-quit', (event) => perform(quit.dispatch('quitRequested'), event));
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openWindow();
  });

  installSessionPolicy();
  startCore();
  void openWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  void app.whenReady().then(startApp);
}
