/**
 * renderer/main.tsx: entry point of the UI, shared by the Electron renderer and the browser host.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppShell } from './shell/AppShell.tsx';
import './shell/shell.css';

const container = document.getElementById('root');
if (!container) throw new Error('Outpost: the #root element is missing from index.html');
createRoot(container).render(
  <StrictMode>
    <AppShell />
  </StrictMode>,
);
