import { Drawer } from 'antd';
import type { ReactNode } from 'react';

/**
 * One record of a list, opened beside it: full width on a phone, at most
 * 736 px otherwise; its content is unmounted when it closes, so the next
 * record opens fresh.
 */
export function RecordDrawer({
  open,
  title,
  onClose,
  className,
  children,
}: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  className?: string;
  /** The record; rendered only while open. */
  children: ReactNode;
}) {
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={title}
      size="min(736px, 100vw)"
      {...(className === undefined ? {} : { className })}
      destroyOnHidden
    >
      {open ? children : null}
    </Drawer>
  );
}
