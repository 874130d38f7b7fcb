/**
 * renderer/shell/host.ts: which host the renderer runs in, read from the preload bridge.
 * Without a bridge (the browser host) the renderer is in browser mode.
 */
import { BRIDGE_GLOBAL, type HostKind, type OutpostBridge } from '../../common/host/bridge.ts';

export function currentHost(): HostKind {
  const bridge = (window as unknown as Record<string, OutpostBridge | undefined>)[BRIDGE_GLOBAL];
  return bridge?.host === 'electron' ? 'electron' : 'browser';
}
