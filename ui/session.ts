// The signed-in session of this GraphiQL tab: kept in sessionStorage (it survives a reload, and
// is gone with the tab), refreshed a minute before the access token expires (refresh tokens
// rotate: every refresh answers a new one, which replaces the spent one), and ended with
// `logout(refreshToken:)`. The fetcher adds `Authorization: Bearer …` to every request unless the
// headers editor sets its own; signed out, requests are anonymous.

export interface Session {
  username: string;
  accessToken: string;
  refreshToken: string | null;
  /** ISO-8601, when the graph said. */
  expiresAt: string | null;
  /** What the example tabs need, read once after sign-in (null until read, or for an agent). */
  facts?: SessionFacts | null;
}

/** The signed-in citizen's ids the example tabs fill in (all null for an agent). */
export interface SessionFacts {
  userId: string | null;
  citizenId: string | null;
  displayName: string | null;
  /** Their most recent case, if any. */
  caseId: string | null;
  /** A segment they belong to, if any. */
  segmentApiName: string | null;
}

const KEY = 'c360.graphiql.session';
/** Refresh this long before the access token expires. */
const REFRESH_EARLY_MS = 60_000;

export const graphqlUrl = () => new URL('/graphql', location.href).toString();

const REFRESH = /* GraphQL */ `
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      session {
        accessToken
        refreshToken
        expiresAt
      }
      userErrors {
        code
        message
      }
    }
  }
`;

const FACTS = /* GraphQL */ `
  query SessionFacts {
    viewer {
      session {
        userId
      }
      citizen {
        id
        displayName
        segments {
          apiName
        }
        cases(first: 1) {
          edges {
            node {
              id
            }
          }
        }
      }
    }
  }
`;

const LOGOUT = /* GraphQL */ `
  mutation Logout($refreshToken: String) {
    logout(refreshToken: $refreshToken) {
      success
    }
  }
`;

type Listener = (s: Session | null) => void;
const listeners = new Set<Listener>();
let current: Session | null = read();
let timer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<Session | null> | undefined;

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function set(s: Session | null): void {
  current = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
  schedule();
  for (const l of listeners) l(s);
}

export const getSession = () => current;

export function onSessionChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** One POST to the graph (anonymous unless a token is given). */
export async function post(
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<{ status: number; body: any }> {
  const res = await fetch(graphqlUrl(), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

export function signedIn(username: string, tokens: Omit<Session, 'username' | 'facts'>): void {
  set({ username, ...tokens, facts: null });
  void loadFacts();
}

/** Reads the session's facts (one `viewer` query) into the session; kept on failure as null. */
export async function loadFacts(): Promise<SessionFacts | null> {
  const s = current;
  if (!s) return null;
  const { body } = await post(FACTS, {}, s.accessToken).catch(() => ({ body: null }));
  const viewer = body?.data?.viewer;
  if (!viewer || current?.accessToken !== s.accessToken) return null;
  const facts: SessionFacts = {
    userId: viewer.session?.userId ?? null,
    citizenId: viewer.citizen?.id ?? null,
    displayName: viewer.citizen?.displayName ?? null,
    caseId: viewer.citizen?.cases?.edges?.[0]?.node?.id ?? null,
    segmentApiName: viewer.citizen?.segments?.[0]?.apiName ?? null,
  };
  set({ ...s, facts });
  return facts;
}

/** New tokens for the refresh token (single flight); signed out when it is spent or expired. */
export function refresh(): Promise<Session | null> {
  const s = current;
  if (!s?.refreshToken) return Promise.resolve(null);
  refreshing ??= (async () => {
    try {
      const { body } = await post(REFRESH, { refreshToken: s.refreshToken });
      const next = body?.data?.refreshSession?.session;
      if (!next?.accessToken) {
        set(null);
        return null;
      }
      const session: Session = {
        username: s.username,
        accessToken: next.accessToken,
        // Rotation: keep the new one; the old one is spent.
        refreshToken: next.refreshToken ?? s.refreshToken,
        expiresAt: next.expiresAt ?? null,
        facts: s.facts,
      };
      set(session);
      return session;
    } catch {
      return current; // offline: try again at the next request
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

function schedule(): void {
  if (timer) clearTimeout(timer);
  timer = undefined;
  if (!current?.expiresAt || !current.refreshToken) return;
  const due = Date.parse(current.expiresAt) - REFRESH_EARLY_MS - Date.now();
  timer = setTimeout(() => void refresh(), Math.max(0, due));
}

/** Ends the session at Salesforce (access and refresh token) and here. */
export async function signOut(): Promise<void> {
  const s = current;
  set(null);
  if (s) await post(LOGOUT, { refreshToken: s.refreshToken }, s.accessToken).catch(() => undefined);
}

/** Headers for a request: the editor's own, plus the session's bearer token unless it set one. */
export function withSession(
  headers: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const has = headers && Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
  if (has || !current) return headers;
  return { ...headers, authorization: `Bearer ${current.accessToken}` };
}

schedule(); // a session restored from sessionStorage refreshes on time too
if (current && !current.facts) void loadFacts();
