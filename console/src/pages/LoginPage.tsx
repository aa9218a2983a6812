import {
  Button,
  Card,
  Collapse,
  Flex,
  Form,
  Input,
  List,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';

import {
  fetchConsoleConfig,
  type ConsoleConfig,
  type DemoUser,
} from '../auth/consoleConfig.js';
import { startOidcLogin } from '../auth/oidc.js';
import { signIn } from '../auth/session.js';
import { type HubError } from '../api/client.js';
import { useFeedback } from '../feedback.js';
import { navigate } from '../router.js';

async function demoUsers(): Promise<DemoUser[] | null> {
  const response = await fetch('/api/demo-users').catch(() => null);
  if (response === null || !response.ok) return null;
  return (await response.json()) as DemoUser[];
}

/** 登录: OpenID Connect, the demo users (on this machine), or a pasted token. */
export function LoginPage() {
  const feedback = useFeedback();
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  // undefined: loading; null: none offered here.
  const [users, setUsers] = useState<DemoUser[] | null | undefined>(undefined);
  useEffect(() => {
    void fetchConsoleConfig().then(async (loaded) => {
      setConfig(loaded);
      // Demo users exist only in demo mode (and only for this machine).
      if (loaded.demo) setUsers(await demoUsers());
    });
  }, []);

  const demoLogin = async (userId: string): Promise<void> => {
    feedback.clear();
    try {
      const response = await fetch('/api/demo-login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      const body = (await response.json().catch(() => null)) as {
        token?: string;
        purpose?: string;
        errors?: HubError[];
      } | null;
      if (!response.ok || typeof body?.token !== 'string') {
        const error = body?.errors?.[0];
        feedback.showErrors([
          error ?? {
            message: `演示登录失败（HTTP ${String(response.status)}）`,
          },
        ]);
        return;
      }
      signIn(body.token, body.purpose);
      navigate('#/');
    } catch {
      feedback.showError(null);
    }
  };

  const tokenLogin = (values: { token?: string; purpose?: string }): void => {
    const token = (values.token ?? '').trim();
    const purpose = (values.purpose ?? '').trim();
    if (!signIn(token, purpose === '' ? undefined : purpose)) {
      feedback.showErrors([
        {
          message:
            '令牌格式不正确：应为身份提供方签发的 JWT（三段，以“.”分隔）。',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ]);
      return;
    }
    navigate('#/');
  };

  return (
    <Flex vertical gap={16} className="login" data-testid="login">
      <Typography.Title level={3}>登录政务数据共享控制台</Typography.Title>
      <Typography.Paragraph type="secondary">
        所有页面的数据均经数据共享网关按您的身份和使用目的鉴权，并记入审计日志。
      </Typography.Paragraph>
      {config?.oidc ? (
        <Card title="统一身份认证">
          <Button
            type="primary"
            size="large"
            data-testid="oidc-login"
            onClick={() => {
              if (config.oidc) {
                void startOidcLogin(config.oidc).catch((e: unknown) =>
                  feedback.showErrors([
                    {
                      message: `无法连接身份认证服务：${e instanceof Error ? e.message : String(e)}`,
                      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
                    },
                  ]),
                );
              }
            }}
          >
            使用统一身份认证登录
          </Button>
        </Card>
      ) : null}
      {config?.demo === false ? null : (
        <Card title="演示账号" data-testid="demo-users">
          {users === undefined ? (
            <Typography.Text type="secondary">正在加载…</Typography.Text>
          ) : users === null ? (
            <Typography.Text type="secondary">
              本环境未开放演示账号（仅限本机访问的演示环境）。
            </Typography.Text>
          ) : (
            <List
              dataSource={users}
              renderItem={(user) => (
                <List.Item>
                  <Button
                    block
                    className="demo-user"
                    data-testid={`demo-user-${user.id}`}
                    onClick={() => void demoLogin(user.id)}
                  >
                    <span className="demo-user-id">{user.id}</span>
                    <span className="demo-user-desc">{user.description}</span>
                  </Button>
                </List.Item>
              )}
            />
          )}
        </Card>
      )}
      <Collapse
        items={[
          {
            key: 'token',
            label: '使用访问令牌登录',
            children: (
              <Form layout="vertical" onFinish={tokenLogin}>
                <Form.Item label="访问令牌（JWT）" name="token">
                  <Input.TextArea
                    rows={4}
                    placeholder="eyJhbGciOiJIUzI1NiIs…"
                    data-testid="token"
                  />
                </Form.Item>
                <Form.Item
                  label="使用目的（默认取令牌中的第一个）"
                  name="purpose"
                >
                  <Input data-testid="purpose" />
                </Form.Item>
                <Button
                  type="primary"
                  htmlType="submit"
                  data-testid="token-login"
                >
                  登录
                </Button>
              </Form>
            ),
          },
        ]}
      />
    </Flex>
  );
}
