// Entry of the web app: mounts React and turns any uncaught error into a visible message, never a blank page.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { PanelBoundary } from './components/PanelBoundary';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

function showFatal(message: string) {
  const box = document.createElement('pre');
  box.className = 'fatal';
  box.textContent = `Something went wrong: ${message}`;
  document.body.prepend(box);
}
window.addEventListener('error', (e) => showFatal(e.message));
window.addEventListener('unhandledrejection', (e) => showFatal(String(e.reason)));

createRoot(root).render(
  <StrictMode>
    <PanelBoundary what="The page">
      <App />
    </PanelBoundary>
  </StrictMode>,
);
