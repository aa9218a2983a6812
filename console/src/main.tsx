import 'antd/dist/antd.css';
import './styles.css';

import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { ConsoleApp } from './App.js';
import { FeedbackProvider } from './feedback.js';

const root = document.getElementById('root');
if (root === null) throw new Error('#root is missing from index.html');

// zeroRuntime: Ant Design's styles come from the built CSS file. The few
// style elements its components still add (and those of helpers that take
// no nonce option: the scroll lock of a dialog, the scrollbar measurement)
// carry the page's nonce, the only inline style the console's CSP
// (style-src 'self' 'nonce-…') allows: every style element this bundle
// creates gets it; a style in injected markup never does.
const nonce =
  document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content') ??
  undefined;
if (nonce !== undefined) {
  const createElement = document.createElement.bind(document);
  document.createElement = ((
    tagName: string,
    options?: ElementCreationOptions,
  ) => {
    const element = createElement(tagName, options);
    if (element instanceof HTMLStyleElement) element.nonce = nonce;
    return element;
  }) as typeof document.createElement;
}

createRoot(root).render(
  <StrictMode>
    <ConfigProvider
      locale={zhCN}
      theme={{ zeroRuntime: true }}
      {...(nonce === undefined ? {} : { csp: { nonce } })}
    >
      <App>
        <FeedbackProvider>
          <ConsoleApp />
        </FeedbackProvider>
      </App>
    </ConfigProvider>
  </StrictMode>,
);
