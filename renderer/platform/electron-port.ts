/**
 * renderer/platform/electron-port.ts: receives the MessagePort to the core that Electron's preload hands
 * to the page (the handshake is described in common/host/electron-port.ts).
 *
 * Guarantees: only a message from this window itself (the preload posts into the main world) that
 * carries exactly the handshake's name and one port is accepted; the page asks for the port, so it does
 * not matter whether the preload received it before or after the page started listening. A later
 * port (the core restarted) reloads the window, which then connects to the new core from scratch.
 */
import { OutpostError } from '../../common/errors.ts';
import { ELECTRON_PORT_MESSAGE, ELECTRON_PORT_REQUEST } from '../../common/host/electron-port.ts';

export function electronCorePort(timeoutMs: number): Promise<MessagePort> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(new OutpostError('internal', 'The desktop app did not connect this window to its engine.'));
    }, timeoutMs);
    let first = true;
    function onMessage(event: MessageEvent): void {
      if (event.source !== window || event.data !== ELECTRON_PORT_MESSAGE) return;
      const [port] = event.ports;
      if (!port) return;
      if (!first) {
        // The core restarted (main hands every window a new port): start this window afresh on it.
        window.location.reload();
        return;
      }
      first = false;
      clearTimeout(timer);
      resolve(port);
    }
    window.addEventListener('message', onMessage);
    window.postMessage(
      ELECTRON_PORT_REQUEST,
      window.location.origin === 'null' ? '*' : window.location.origin,
    );
  });
}
