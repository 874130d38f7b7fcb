/**
 * main/core/core-process.ts: the core's utility process seen from main: fork, start, connect windows,
 * answer its secret requests, ask it to quit. The protocol is common/host/utility-process-protocol.ts
 * (the page's side of the port: common/host/electron-port.ts); the decisions (when to quit, whether
 * to restart) are in main/lifecycle/, not here.
 *
 *   fork(out/main/core.js) ─► start { dataDir, migrationsDir } ─► started | failed
 *   window loaded ─► MessageChannelMain: port1 ─► core (connect { client: webContents.id })
 *                                        port2 ─► webContents.postMessage('outpost:port') ─► preload
 *   core secret-get/set/delete ─► the SecretVault ─► secret-result | secret-error
 *   quit ─► core closes its database ─► closed
 *
 * Guarantees: every message from the core is validated before it is acted on; replies go only to the
 * process that asked (a restarted core never gets its predecessor's answers); a window is connected
 * only while a core runs, and gets a new port from every new core (restart: `connectAll`).
 */
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { ELECTRON_PORT_MESSAGE } from '../../common/host/electron-port.ts';
import { parseCoreToMainMessage } from '../../common/host/utility-process-protocol.ts';
import type { ErrorCode } from '../../common/errors.ts';
import { answerSecretRequest, type SecretVault } from '../secrets/secret-vault.ts';

export interface CoreProcessEvents {
  onStarted(): void;
  onFailed(code: ErrorCode, message: string): void;
  onClosed(): void;
  /** The process is gone (whatever the reason); the owner decides whether that was expected. */
  onExit(exitCode: number): void;
}

export interface CoreProcessOptions {
  readonly entry: string;
  readonly dataDir: string;
  readonly migrationsDir: string;
  readonly vault: SecretVault;
  readonly events: CoreProcessEvents;
}

export class CoreProcess {
  private child: UtilityProcess | null = null;
  private readonly windows = new Set<WebContents>();

  constructor(private readonly options: CoreProcessOptions) {}

  get running(): boolean {
    return this.child !== null;
  }

  start(): void {
    if (this.child) return;
    const { entry, dataDir, migrationsDir, events } = this.options;
    // `npm start` runs a local sync server with a development certificate: the core (Node's fetch)
    // trusts it through NODE_EXTRA_CA_CERTS. Packaged apps never have OUTPOST_DEV_TLS_CERT set.
    const devCert = process.env['OUTPOST_DEV_TLS_CERT'];
    const child = utilityProcess.fork(entry, [], {
      serviceName: 'Outpost core',
      ...(devCert ? { env: { ...process.env, NODE_EXTRA_CA_CERTS: devCert } } : {}),
    });
    this.child = child;
    child.on('message', (data: unknown) => this.onMessage(child, data));
    child.once('exit', (code) => {
      if (this.child !== child) return;
      this.child = null;
      events.onExit(code);
    });
    child.postMessage({ type: 'start', dataDir, migrationsDir });
    this.connectAll();
  }

  /** Gives the window a fresh port to the core (after each load); remembered for restarts. */
  connect(contents: WebContents): void {
    if (!this.windows.has(contents)) {
      this.windows.add(contents);
      const client = contents.id;
      contents.once('destroyed', () => {
        this.windows.delete(contents);
        this.child?.postMessage({ type: 'disconnect', client });
      });
    }
    if (!this.child || contents.isDestroyed()) return;
    const { port1, port2 } = new MessageChannelMain();
    this.child.postMessage({ type: 'connect', client: contents.id }, [port1]);
    contents.postMessage(ELECTRON_PORT_MESSAGE, null, [port2]);
  }

  /** Asks the core to close its database; false when there is no core to ask. */
  requestQuit(): boolean {
    if (!this.child) return false;
    this.child.postMessage({ type: 'quit' });
    return true;
  }

  kill(): void {
    this.child?.kill();
  }

  /** A new core: every loaded window gets a port to it (one still loading gets one on did-finish-load). */
  private connectAll(): void {
    for (const contents of this.windows) if (!contents.isLoading()) this.connect(contents);
  }

  private onMessage(child: UtilityProcess, data: unknown): void {
    const message = parseCoreToMainMessage(data);
    if (!message) return;
    const { events, vault } = this.options;
    switch (message.type) {
      case 'started':
        events.onStarted();
        break;
      case 'failed':
        events.onFailed(message.code, message.message);
        break;
      case 'closed':
        events.onClosed();
        break;
      default:
        void answerSecretRequest(vault, message).then((reply) => {
          if (this.child === child) child.postMessage(reply);
        });
    }
  }
}
