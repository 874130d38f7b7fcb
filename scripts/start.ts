/**
 * scripts/start.ts: `npm start`, the one command that runs the app.
 *
 * Runs the Electron app (`electron-vite dev`) when the Electron binary is installed. When it is not
 * (npm installs the electron package, but its binary is a separate download that some machines
 * cannot make), it says so in one line and runs the browser host (`npm run web`) instead.
 * Ctrl+C stops the child cleanly; the exit code is the child's.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** Path of the installed Electron executable, or undefined when it has not been downloaded. */
export function installedElectron(): string | undefined {
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) return existsSync(override) ? override : undefined;
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const executable = path.join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : undefined;
}

function runChild(command: string, args: readonly string[]): void {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

const viteBin = (pkg: string, bin: string): string => path.join(root, 'node_modules', pkg, 'bin', bin);

if (installedElectron()) {
  runChild(process.execPath, [viteBin('electron-vite', 'electron-vite.js'), 'dev']);
} else {
  console.log(
    'outpost: the Electron binary is not installed on this machine, so the app runs in the browser host instead (open the address below).',
  );
  runChild(process.execPath, [viteBin('vite', 'vite.js'), '--config', 'vite.web.config.ts']);
}
