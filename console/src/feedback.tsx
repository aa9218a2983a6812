// The page's message area: an error (what went wrong, in Chinese, and what
// to do next) and a notice (what was just done), cleared on navigation.
import { Alert } from 'antd';
import {
  createContext,
  useCallback,
  useContext,
  useMemo,
  useState,
  type ReactNode,
} from 'react';

import { RequestError, describeError, type HubError } from './api/client.js';
import { UNKNOWN_ERROR } from './api/errorMessages.js';

interface Feedback {
  readonly error: string;
  readonly notice: string;
  showError(error: unknown): void;
  showErrors(errors: readonly HubError[]): void;
  showNotice(text: string): void;
  clear(): void;
}

const FeedbackContext = createContext<Feedback | null>(null);

/** The text of any thrown value, in Chinese where the hub gave a code. */
export function errorText(error: unknown): string {
  if (error instanceof RequestError) return error.message;
  return `${UNKNOWN_ERROR.title}：${UNKNOWN_ERROR.next}`;
}

export function FeedbackProvider({ children }: { children: ReactNode }) {
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const showError = useCallback((e: unknown) => {
    setNotice('');
    setError(errorText(e));
  }, []);
  const showErrors = useCallback((errors: readonly HubError[]) => {
    setError(errors.map(describeError).join('\n'));
  }, []);
  const showNotice = useCallback((text: string) => {
    setError('');
    setNotice(text);
  }, []);
  const clear = useCallback(() => {
    setError('');
    setNotice('');
  }, []);
  const value = useMemo(
    () => ({ error, notice, showError, showErrors, showNotice, clear }),
    [error, notice, showError, showErrors, showNotice, clear],
  );
  return (
    <FeedbackContext.Provider value={value}>
      {children}
    </FeedbackContext.Provider>
  );
}

export function useFeedback(): Feedback {
  const feedback = useContext(FeedbackContext);
  if (feedback === null)
    throw new Error('useFeedback outside FeedbackProvider');
  return feedback;
}

/** The error and notice of the page, when there are any. */
export function FeedbackArea() {
  const { error, notice } = useFeedback();
  return (
    <>
      {error === '' ? null : (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="alert"
          className="feedback"
          title={<span style={{ whiteSpace: 'pre-line' }}>{error}</span>}
        />
      )}
      {notice === '' ? null : (
        <Alert
          type="success"
          showIcon
          role="status"
          data-testid="notice"
          className="feedback"
          title={notice}
        />
      )}
    </>
  );
}
