import { Drawer } from 'antd';
import type { ReactNode } from 'react';

/**
 * The drawer a list's row opens in (full width on a phone), its content
 * mounted only while open.
 */
export function DetailDrawer({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={title}
      size="min(736px, 100vw)"
      destroyOnHidden
    >
      {open ? children : null}
    </Drawer>
  );
}
