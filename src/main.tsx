// Browser entry: mounts the app inside the engine-worker provider.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { EngineProvider } from './app/EngineProvider';
import { ModelProvider } from './app/ModelProvider';
import { registerServiceWorker } from './app/register-sw';
import './app/app.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <EngineProvider>
      <ModelProvider>
        <App />
      </ModelProvider>
    </EngineProvider>
  </StrictMode>,
);
registerServiceWorker();
