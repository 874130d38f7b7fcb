/**
 * preload/port-relay.ts: the preload's half of the port handshake (common/host/electron-port.ts):
 * ports arrive from main whenever main connects the window, the page asks when it is ready, and
 * neither has to wait for the other.
 *
 *   port from main, page has not asked ─► kept (a newer port replaces, and closes, a kept one)
 *   page asks ─► the kept port, if any, is delivered; from now on every port is delivered at once
 *
 * Guarantees: a port is delivered at most once and only after the page asked; at most one port
 * waits here. No electron import, so it is tested on its own.
 */

export interface ClosablePort {
  close(): void;
}

export interface PortRelay<P extends ClosablePort> {
  /** main posted a port (ipcRenderer 'outpost:port'). */
  fromMain(port: P): void;
  /** The page posted 'outpost:port-request' to its own window. */
  pageAsked(): void;
}

export function createPortRelay<P extends ClosablePort>(deliver: (port: P) => void): PortRelay<P> {
  let waiting: P | null = null;
  let asked = false;
  return {
    fromMain(port) {
      if (asked) {
        deliver(port);
        return;
      }
      waiting?.close();
      waiting = port;
    },
    pageAsked() {
      asked = true;
      if (!waiting) return;
      const port = waiting;
      waiting = null;
      deliver(port);
    },
  };
}
