/**
 * e2e/browser-console.ts: the console output of the pages and dedicated workers a spec opens, kept
 * while a test runs and attached to it (browser-console.txt) only when it fails; cleared after every
 * test.
 *
 *   const consoleLog = new BrowserConsole();
 *   consoleLog.follow(page, 'e2e-123-1')   every console message of the page and of its workers, and
 *                                           its uncaught errors, as "[<label> page|worker] type: text"
 *   test.afterEach(() => consoleLog.attachIfFailed())
 */
import { test, type Page } from '@playwright/test';

export class BrowserConsole {
  private readonly lines: string[] = [];

  /** Keeps what `page` and its workers log; `label` names the device when a spec opens several. */
  follow(page: Page, label?: string): void {
    const prefix = (where: string) => `[${label ? `${label} ` : ''}${where}]`;
    const note = (where: string) => (m: { type(): string; text(): string }) =>
      this.lines.push(`${prefix(where)} ${m.type()}: ${m.text()}`);
    page.on('console', note('page'));
    page.on('pageerror', (e) => this.lines.push(`${prefix('page')} uncaught: ${e.message}`));
    page.on('worker', (worker) => worker.on('console', note('worker')));
  }

  /** Attaches what was kept to the current test if it failed; forgets it either way. */
  async attachIfFailed(): Promise<void> {
    const testInfo = test.info();
    if (testInfo.status !== testInfo.expectedStatus && this.lines.length > 0)
      await testInfo.attach('browser-console.txt', {
        body: this.lines.join('\n'),
        contentType: 'text/plain',
      });
    this.lines.length = 0;
  }
}
