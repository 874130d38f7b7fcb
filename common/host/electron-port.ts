/**
 * common/host/electron-port.ts: how a page in an Electron window obtains its MessagePort to the core
 * (the typed RPC of common/rpc runs on it). The main ⇄ core messages behind it are
 * common/host/utility-process-protocol.ts.
 *
 * contextBridge cannot transfer a MessagePort, so the preload hands it to the page with
 * window.postMessage, the pattern Electron documents:
 *
 *   page ──window.postMessage(ELECTRON_PORT_REQUEST, '*')──► preload        (whenever the page is ready)
 *   main ──webContents.postMessage(ELECTRON_PORT_MESSAGE, null, [port])──► preload
 *        (after every load and reload, on did-finish-load; and to every window after a core restart)
 *   preload ──window.postMessage(ELECTRON_PORT_MESSAGE, '*', [port])──► page
 *        (at once if the page has asked; until then the newest port waits in the preload)
 *
 * The page listens first, then asks, and accepts ports only from its own window:
 *
 *   window.addEventListener('message', (event) => {
 *     if (event.source === window && event.data === ELECTRON_PORT_MESSAGE && event.ports[0]) {
 *       usePort(event.ports[0]); // replaces (and closes) any previous port
 *     }
 *   });
 *   window.postMessage(ELECTRON_PORT_REQUEST, '*');
 *
 * So the order does not matter: main may post before the page listens (the preload keeps the port)
 * and the page may ask before main posted (the preload forwards the port when it arrives). The page
 * asks once per load; a later port (the core restarted) arrives without asking and replaces the
 * previous one, whose other end the core has already closed. Each window has at most one live port:
 * connecting a window again closes the core's end of its previous port.
 *
 * Guarantees: this module imports nothing, so the sandboxed preload (which cannot require packages)
 * and the renderer can both use it.
 */

/** The message name of the renderer's port, for both webContents.postMessage and window.postMessage. */
export const ELECTRON_PORT_MESSAGE = 'outpost:port' as const;
/** What the page posts to its own window to ask the preload for the port. */
export const ELECTRON_PORT_REQUEST = 'outpost:port-request' as const;
