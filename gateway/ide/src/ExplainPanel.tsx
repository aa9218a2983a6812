// The explain panel: asks the gateway's `Query.explain` how the operation in
// the editor would be governed for the current caller — each field's
// decision (allowed, masked, withheld), the rule that decided it and why —
// without running it. Explaining is recorded in the access log like any
// request, so it runs when asked, not on every keystroke.
import { useGraphiQL, type GraphiQLPlugin } from '@graphiql/react';
import { useCallback, useContext, useEffect, useState } from 'react';

import { EXPLAIN_QUERY, type Explanation } from '../../src/explainQuery';
import { IdentityContext, postGraphQL, type GraphQLAnswer } from './identity';

type PanelState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'explained'; of: string; explanation: Explanation }
  | {
      kind: 'failed';
      of: string;
      errors: NonNullable<GraphQLAnswer['errors']>;
    };

function ExplainPanel() {
  const identity = useContext(IdentityContext);
  const tab = useGraphiQL((state) => state.tabs[state.activeTabIndex]);
  const operation = tab?.query ?? '';
  const operationName = tab?.operationName ?? null;
  const variablesText = tab?.variables ?? '';
  const [state, setState] = useState<PanelState>({ kind: 'idle' });
  const current = `${operation}\u0000${operationName ?? ''}\u0000${variablesText}`;

  const explain = useCallback(async () => {
    let variables: unknown = null;
    if (variablesText.trim() !== '') {
      try {
        variables = JSON.parse(variablesText);
      } catch {
        setState({
          kind: 'failed',
          of: current,
          errors: [{ message: 'The variables are not valid JSON.' }],
        });
        return;
      }
    }
    setState({ kind: 'running' });
    try {
      const answer = await postGraphQL<{ explain: Explanation | null }>(
        identity,
        {
          query: EXPLAIN_QUERY,
          operationName: 'Explain',
          variables: { operation, operationName, variables },
        },
      );
      const explanation = answer.data?.explain;
      if (explanation) {
        setState({ kind: 'explained', of: current, explanation });
      } else {
        setState({
          kind: 'failed',
          of: current,
          errors: answer.errors ?? [{ message: 'No explanation came back.' }],
        });
      }
    } catch (error) {
      setState({
        kind: 'failed',
        of: current,
        errors: [
          {
            message: `The gateway cannot be reached: ${error instanceof Error ? error.message : String(error)}`,
          },
        ],
      });
    }
  }, [identity, operation, operationName, variablesText, current]);

  // Explain once when the panel opens; afterwards on request.
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    if (!opened && operation.trim() !== '') {
      setOpened(true);
      void explain();
    }
  }, [opened, operation, explain]);

  const outdated =
    (state.kind === 'explained' || state.kind === 'failed') &&
    state.of !== current;
  return (
    <section className="gg-explain" aria-label="Explain">
      <div className="graphiql-doc-explorer-title">Explain</div>
      <p className="gg-explain-intro">
        How the gateway would govern the operation in the editor for this
        caller: each field&apos;s decision and the rule behind it.
      </p>
      <button
        type="button"
        className="graphiql-button gg-explain-run"
        onClick={() => void explain()}
        disabled={state.kind === 'running'}
      >
        {state.kind === 'running' ? 'Explaining…' : 'Explain this operation'}
      </button>
      {outdated && (
        <p className="gg-explain-outdated" role="status">
          The operation changed since it was explained.
        </p>
      )}
      {state.kind === 'failed' && (
        <ul className="gg-explain-errors" role="alert">
          {state.errors.map((e, i) => (
            <li key={i}>
              {e.extensions?.code && <code>{e.extensions.code}</code>}{' '}
              {e.message}
              {e.extensions?.rule && (
                <>
                  {' '}
                  (rule <code>{e.extensions.rule}</code>)
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {state.kind === 'explained' && (
        <ExplanationView explanation={state.explanation} />
      )}
    </section>
  );
}

function ExplanationView({ explanation }: { explanation: Explanation }) {
  const withheld = explanation.fields.filter((f) => f.effect === 'DENY');
  const masked = explanation.fields.filter((f) => f.effect === 'MASK');
  return (
    <div className="gg-explanation" data-testid="explanation">
      <dl className="gg-explain-facts">
        <dt>operation</dt>
        <dd>
          {explanation.operationName ?? '(anonymous)'}{' '}
          <code title={explanation.operationHash}>
            {explanation.operationHash.slice(0, 12)}…
          </code>
        </dd>
        <dt>purpose</dt>
        <dd>{explanation.purpose}</dd>
        <dt>policy</dt>
        <dd>{explanation.policyVersion}</dd>
        <dt>fields</dt>
        <dd>
          {explanation.fields.length} · {withheld.length} withheld ·{' '}
          {masked.length} masked
        </dd>
        <dt>cross-department</dt>
        <dd>{explanation.crossDepartment ? 'yes (logged)' : 'no'}</dd>
        <dt>strict mode</dt>
        <dd>
          {explanation.rejectedInStrictMode ? 'would reject' : 'would run'}
        </dd>
        <dt>row scope</dt>
        <dd>
          <code>{JSON.stringify(explanation.rowScope)}</code>
        </dd>
      </dl>
      <table className="gg-explain-fields">
        <thead>
          <tr>
            <th>field</th>
            <th>decision</th>
            <th>rule</th>
          </tr>
        </thead>
        <tbody>
          {explanation.fields.map((field) => (
            <tr
              key={field.coordinate}
              className={`gg-effect-${field.effect.toLowerCase()}`}
              data-coordinate={field.coordinate}
              data-effect={field.effect}
              title={field.reason}
            >
              <td>
                <code>{field.coordinate}</code>
                {field.owners.length > 0 && (
                  <div className="gg-owner">{field.owners.join(', ')}</div>
                )}
                {field.effect !== 'ALLOW' && (
                  <div className="gg-reason">{field.reason}</div>
                )}
              </td>
              <td>
                {field.effect === 'DENY'
                  ? `withheld${field.code ? ` (${field.code})` : ''}`
                  : field.effect === 'MASK'
                    ? `masked${field.mask ? ` (${field.mask})` : ''}`
                    : 'allowed'}
              </td>
              <td>
                <code>{field.rule}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ShieldIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      aria-hidden="true"
    >
      <path d="M12 3 4.5 6v5.5c0 4.6 3.2 8.3 7.5 9.5 4.3-1.2 7.5-4.9 7.5-9.5V6L12 3Z" />
      <path d="m8.5 12 2.5 2.5 4.5-5" />
    </svg>
  );
}

/** GraphiQL's plugin for the explain panel (the shield in the sidebar). */
export const EXPLAIN_PLUGIN: GraphiQLPlugin = {
  title: 'Explain',
  icon: ShieldIcon,
  content: ExplainPanel,
};
