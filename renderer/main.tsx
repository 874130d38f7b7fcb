/**
 * renderer/main.tsx: entry point of the UI, shared by the Electron renderer and the browser host.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { registerServiceWorker } from './platform/service-worker.ts';
import './shell/shell.css';
import './records/records.css';

const container = document.getElementById('root');
if (!container) throw new Error('Outpost: the #root element is missing from index.html');
registerServiceWorker();
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
