/**
 * preload/index.ts: the only bridge between the sandboxed renderer and Electron.
 *
 * Runs with `sandbox: true` and `contextIsolation: true`, built as CommonJS (sandboxed preloads
 * cannot be ES modules or require packages). It gives the page exactly two things:
 *   - `window.outpost`, one frozen object without functions (common/host/bridge.ts): host and platform;
 *   - its MessagePort to the core, through window.postMessage, because contextBridge cannot transfer a
 *     port (the handshake is common/host/electron-port.ts; the buffering is port-relay.ts).
 * Never ipcRenderer itself, process.env or any other capability: the only IPC channel it listens on is
 * 'outpost:port', and it sends none.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, type OutpostBridge } from '../common/host/bridge.ts';
import { ELECTRON_PORT_MESSAGE, ELECTRON_PORT_REQUEST } from '../common/host/electron-port.ts';
import { createPortRelay, type ClosablePort } from './port-relay.ts';

/** The page's window as the preload uses it (the preload's tsconfig has no DOM library). */
interface PageWindow {
  postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void;
  addEventListener(type: 'message', listener: (event: { source: unknown; data: unknown }) => void): void;
}

const page = globalThis as unknown as PageWindow;

const bridge: OutpostBridge = Object.freeze({
  host: 'electron',
  platform: process.platform,
  versions: Object.freeze({
    electron: process.versions.electron ?? '',
    chrome: process.versions.chrome ?? '',
  }),
});

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);

// '*' is safe here: the message goes to this same window only (a file: page has an opaque origin,
// which no other targetOrigin could name); the page checks event.source === window.
const relay = createPortRelay<ClosablePort>((port) => page.postMessage(ELECTRON_PORT_MESSAGE, '*', [port]));

ipcRenderer.on(ELECTRON_PORT_MESSAGE, (event) => {
  // A DOM MessagePort; typed structurally because this tsconfig has no DOM library.
  const [port] = event.ports as readonly ClosablePort[];
  if (port) relay.fromMain(port);
});

page.addEventListener('message', (event) => {
  if (event.source === page && event.data === ELECTRON_PORT_REQUEST) relay.pageAsked();
});
