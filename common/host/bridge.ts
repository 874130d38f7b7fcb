/**
 * common/host/bridge.ts: the one object a host exposes to the renderer's global scope.
 *
 * In Electron the preload exposes it through contextBridge; in the browser host it is absent and the
 * renderer is in browser mode. It carries no capabilities: nothing here can reach Node, IPC or SQL.
 * The page's one capability, its MessagePort to the core, is not on this object (contextBridge cannot
 * transfer ports): the page asks for it with window.postMessage (common/host/electron-port.ts).
 */
export type HostKind = 'electron' | 'browser';

export interface OutpostBridge {
  readonly host: 'electron';
  readonly platform: string;
  readonly versions: Readonly<{ electron: string; chrome: string }>;
}

export const BRIDGE_GLOBAL = 'outpost' as const;
