// The gateway's GraphQL IDE: GraphiQL 5 (Monaco editors, their workers
// bundled by Vite), a bar to set the caller's bearer token and purpose of
// use, and an explain panel. Everything is served by the gateway itself.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './styles.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';

const root = document.getElementById('root');
if (root === null) throw new Error('the page has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
