import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { useMemo, useState, type FormEvent } from 'react';

import { EXPLAIN_PLUGIN } from './ExplainPanel';
import {
  IdentityContext,
  loadIdentity,
  postGraphQL,
  readClaims,
  saveIdentity,
  type Identity,
} from './identity';

const DEFAULT_QUERY = `# govgraph GraphQL IDE
#
# 1. Paste a bearer token above and pick a purpose of use the token allows
#    (npm start prints demo tokens; npm run token -- <user> mints one).
# 2. The Docs panel shows the schema this caller may use.
# 3. Run an operation; the Explain panel (the shield on the left) tells,
#    field by field, whether it is allowed, masked or withheld, and by which
#    rule — "why is this field null?".
query {
  __typename
}
`;

export function App() {
  const [identity, setIdentity] = useState<Identity>(loadIdentity);
  const fetcher = useMemo<GraphiQLProps['fetcher']>(
    () => (params, options) =>
      postGraphQL(identity, params, options?.headers ?? {}) as ReturnType<
        GraphiQLProps['fetcher']
      >,
    [identity],
  );
  return (
    <IdentityContext.Provider value={identity}>
      <div className="gg-ide">
        <IdentityBar
          identity={identity}
          onApply={(next) => {
            saveIdentity(next);
            setIdentity(next);
          }}
        />
        <div className="gg-graphiql">
          {/* A new identity is a new caller: GraphiQL starts again and
              introspects the schema that caller may use. */}
          <GraphiQL
            key={`${identity.token}\u0000${identity.purpose}`}
            fetcher={fetcher}
            plugins={[EXPLAIN_PLUGIN]}
            defaultQuery={DEFAULT_QUERY}
            defaultEditorToolsVisibility="variables"
          />
        </div>
      </div>
    </IdentityContext.Provider>
  );
}

function IdentityBar(props: {
  identity: Identity;
  onApply: (identity: Identity) => void;
}) {
  const [token, setToken] = useState(props.identity.token);
  const [purpose, setPurpose] = useState(props.identity.purpose);
  const claims = useMemo(() => readClaims(token), [token]);
  const purposes = claims?.purposes ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosen =
      purpose === '' && purposes.length === 1 ? (purposes[0] ?? '') : purpose;
    setPurpose(chosen);
    props.onApply({ token: token.trim(), purpose: chosen.trim() });
  };
  const applied =
    token.trim() === props.identity.token && purpose === props.identity.purpose;
  return (
    <form className="gg-identity" onSubmit={submit} aria-label="Caller">
      <strong className="gg-brand">govgraph</strong>
      <label>
        Bearer token
        <input
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="eyJ…"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
      </label>
      <label>
        Purpose (x-govgraph-purpose)
        <input
          name="purpose"
          list="gg-purposes"
          autoComplete="off"
          spellCheck={false}
          value={purpose}
          onChange={(e) => setPurpose(e.target.value)}
        />
        <datalist id="gg-purposes">
          {purposes.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </label>
      <button type="submit" disabled={applied}>
        Use
      </button>
      <span className="gg-caller" data-testid="caller">
        {describeCaller(token, claims)}
      </span>
    </form>
  );
}

function describeCaller(
  token: string,
  claims: ReturnType<typeof readClaims>,
): string {
  if (token.trim() === '') return 'no token: every request is refused';
  if (claims === null) return 'not a JWT';
  const parts = [
    claims.sub,
    claims.dept,
    claims.roles?.join(', '),
    claims.purposes ? `purposes: ${claims.purposes.join(', ')}` : undefined,
    typeof claims.exp === 'number'
      ? `expires ${new Date(claims.exp * 1000).toLocaleString()}`
      : undefined,
  ];
  return parts.filter((p) => p !== undefined && p !== '').join(' · ');
}
