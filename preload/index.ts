/**
 * preload/index.ts: the only bridge between the sandboxed renderer and Electron.
 *
 * Runs with `sandbox: true` and `contextIsolation: true`, built as CommonJS (sandboxed preloads
 * cannot be ES modules). It exposes exactly one frozen object, `window.outpost`, described by
 * common/host/bridge.ts; never ipcRenderer, process.env or any other capability.
 */
import { contextBridge } from 'electron';
import { BRIDGE_GLOBAL, type OutpostBridge } from '../common/host/bridge.ts';

const bridge: OutpostBridge = Object.freeze({
  host: 'electron',
  platform: process.platform,
  versions: Object.freeze({
    electron: process.versions.electron ?? '',
    chrome: process.versions.chrome ?? '',
  }),
});

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
