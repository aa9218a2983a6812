import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Flex, Layout, Menu, Result, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';

import { choosePurpose, signOut, type Session } from './auth/session.js';
import { FeedbackArea, useFeedback } from './feedback.js';
import { departmentName } from './labels.js';
import { pagesFor } from './routes.js';
import { navigate, useRoute } from './router.js';

/**
 * The signed-in layout (after Ant Design Pro's): the menu of the user's
 * pages at the side (folded away below 992 px), the user, department and
 * purpose of use in the header, the page with its messages.
 */
export function Shell({ session }: { session: Session }) {
  const route = useRoute();
  const feedback = useFeedback();
  const pages = pagesFor(session.claims);
  const home = pages.find((p) => p.menu !== null);
  const page = pages.find((p) => p.name === route.name);
  const [collapsed, setCollapsed] = useState(false);
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    feedback.clear();
  }, [route.name, route.arg]);
  useEffect(() => {
    if (route.name === '' && home !== undefined) navigate(`#/${home.name}`);
  }, [route.name, home]);
  const { claims } = session;
  const selected = page?.highlights ?? page?.name ?? '';
  return (
    <Layout className="shell">
      <Layout.Sider
        breakpoint="lg"
        collapsedWidth={0}
        collapsed={collapsed}
        onCollapse={setCollapsed}
        onBreakpoint={(broken) => {
          setNarrow(broken);
          setCollapsed(broken);
        }}
        className="sider"
        data-testid="sider"
      >
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            数
          </span>
          <span className="brand-title">数据共享控制台</span>
        </div>
        <Menu
          theme="dark"
          mode="inline"
          data-testid="nav"
          selectedKeys={[selected]}
          items={pages
            .filter((p) => p.menu !== null)
            .map((p) => ({
              key: p.name,
              icon: p.menu?.icon,
              label: (
                <a href={`#/${p.name}`} data-testid={`nav-${p.name}`}>
                  {p.menu?.label}
                </a>
              ),
            }))}
          onClick={() => {
            if (narrow) setCollapsed(true);
          }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="header">
          <Flex
            align="center"
            justify="space-between"
            gap={8}
            className="header-row"
          >
            <Typography.Text strong className="header-title" ellipsis>
              govgraph 政务数据共享枢纽
            </Typography.Text>
            <Flex align="center" gap={8} className="who" data-testid="who">
              <UserOutlined />
              <Typography.Text
                ellipsis
                className="who-name"
                data-testid="who-name"
              >
                {claims.name ?? claims.sub} · {departmentName(claims.dept)}
              </Typography.Text>
              {claims.purposes.length > 1 ? (
                <Select
                  size="small"
                  aria-label="使用目的"
                  data-testid="purpose-select"
                  className="purpose"
                  value={session.purpose}
                  options={claims.purposes.map((p) => ({ value: p, label: p }))}
                  onChange={(value: string) => choosePurpose(value)}
                  popupMatchSelectWidth={false}
                />
              ) : null}
              <Button
                type="text"
                size="small"
                icon={<LogoutOutlined />}
                data-testid="logout"
                aria-label="退出登录"
                onClick={() => {
                  signOut();
                  navigate('#/');
                }}
              >
                <span className="logout-text">退出</span>
              </Button>
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content className="content">
          <FeedbackArea />
          <div data-testid="view">
            {page ? (
              page.render(route)
            ) : route.name === '' ? null : (
              <Result
                status="404"
                title="页面不存在"
                subTitle="该页面不存在，或您的角色无权访问。"
              />
            )}
          </div>
        </Layout.Content>
        <Layout.Footer className="footer">
          所有操作均经数据共享网关鉴权并记入审计日志。
        </Layout.Footer>
      </Layout>
    </Layout>
  );
}
