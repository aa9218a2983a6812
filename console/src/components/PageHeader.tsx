import { Typography } from 'antd';
import type { ReactNode } from 'react';

/** A page's title and the line under it that says what the page holds. */
export function PageHeader({
  title,
  description,
}: {
  /** The page's name, as in the menu. */
  title: string;
  /** What the page lists, for whom, in what order. */
  description: ReactNode;
}) {
  return (
    <div>
      <Typography.Title level={3}>{title}</Typography.Title>
      <Typography.Text type="secondary">{description}</Typography.Text>
    </div>
  );
}
