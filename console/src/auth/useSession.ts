import { useSyncExternalStore } from 'react';

import { currentSession, subscribe, type Session } from './session.js';

/** The tab's session; re-renders on sign-in, sign-out and purpose changes. */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, currentSession);
}
