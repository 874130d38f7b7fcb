/**
 * main/window/main-window.ts: creates the app window with its security settings and remembered state.
 *
 * Guarantees: contextIsolation, sandbox, no nodeIntegration, webSecurity; new windows are never
 * created (http/https/mailto links go to the system browser) and navigation away from the app is
 * cancelled (main/window-policy.ts); the window opens where it was, clamped to a connected display
 * (window-state.ts), and its normal bounds, maximized and full-screen state are saved on move/resize
 * (debounced) and on close. After every page load (including reloads) `onLoaded` runs, which is where
 * main hands the page its port to the core.
 */
import { BrowserWindow, screen, shell, type WebContents } from 'electron';
import { isAppUrl, isExternalLink } from '../window-policy.ts';
import {
  MIN_WINDOW_SIZE,
  readWindowState,
  restoreWindowState,
  writeWindowState,
  type WindowState,
} from './window-state.ts';

export interface MainWindowOptions {
  readonly preload: string;
  readonly rendererIndex: string;
  readonly devServerUrl: string | undefined;
  readonly windowStateFile: string;
  readonly onLoaded: (contents: WebContents) => void;
  readonly log: (message: string) => void;
}

const SAVE_DELAY_MS = 500;

export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const { preload, rendererIndex, devServerUrl, windowStateFile, onLoaded, log } = options;
  const restored = restoreWindowState(
    await readWindowState(windowStateFile),
    screen.getAllDisplays().map((d) => d.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  const window = new BrowserWindow({
    ...restored.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'Outpost',
    backgroundColor: '#0f1419',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => {
    if (restored.fullScreen) window.setFullScreen(true);
    if (restored.maximized) window.maximize();
    window.show();
  });
  rememberState(window, windowStateFile, log);

  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) {
      event.preventDefault();
      if (isExternalLink(url)) void shell.openExternal(url);
    }
  });
  contents.on('did-finish-load', () => onLoaded(contents));
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererIndex);
  return window;
}

function rememberState(window: BrowserWindow, file: string, log: (message: string) => void): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const current = (): WindowState => ({
    bounds: window.getNormalBounds(),
    maximized: window.isMaximized(),
    fullScreen: window.isFullScreen(),
  });
  const save = (state: WindowState) => {
    writeWindowState(file, state).catch((error: unknown) =>
      log(`window state not saved: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (!window.isDestroyed() && !window.isMinimized()) save(current());
    }, SAVE_DELAY_MS);
  };
  window.on('resize', schedule);
  window.on('move', schedule);
  window.on('maximize', schedule);
  window.on('unmaximize', schedule);
  window.on('enter-full-screen', schedule);
  window.on('leave-full-screen', schedule);
  window.on('close', () => {
    if (timer) clearTimeout(timer);
    save(current());
  });
}
