import { Flex, Layout, Spin } from 'antd';
import { useEffect, useState } from 'react';

import { fetchConsoleConfig } from './auth/consoleConfig.js';
import { completeOidcLogin, isOidcCallback } from './auth/oidc.js';
import { useSession } from './auth/useSession.js';
import { FeedbackArea, useFeedback } from './feedback.js';
import { LoginPage } from './pages/LoginPage.js';
import { Shell } from './Shell.js';

/** Signed in: the shell; otherwise the login page (after an OIDC redirect, its completion). */
export function ConsoleApp() {
  const session = useSession();
  const feedback = useFeedback();
  const [completing, setCompleting] = useState(isOidcCallback());
  useEffect(() => {
    if (!completing) return;
    void fetchConsoleConfig()
      .then(async (config) => {
        if (config.oidc === null) throw new Error('未配置统一身份认证');
        await completeOidcLogin(config.oidc);
      })
      .catch((error: unknown) =>
        feedback.showErrors([
          {
            message: `统一身份认证登录未完成：${error instanceof Error ? error.message : String(error)}`,
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ]),
      )
      .finally(() => setCompleting(false));
  }, [completing]);
  if (completing) {
    return (
      <Flex justify="center" className="login-wrap">
        <Spin tip="正在完成登录…" />
      </Flex>
    );
  }
  if (session !== null) return <Shell session={session} />;
  return (
    <Layout className="login-wrap">
      <Layout.Content>
        <FeedbackArea />
        <LoginPage />
      </Layout.Content>
    </Layout>
  );
}
