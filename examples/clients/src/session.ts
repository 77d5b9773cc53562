// What every recipe needs from your app: the current access token (from `login` or
// `refreshSession`) and a refresh that runs once however many requests ask for it at the same
// time. Refresh tokens rotate: store the NEW refreshToken every time.
export interface Session {
  accessToken(): string | undefined;
  refresh(): Promise<void>;
}

/** `{ authorization: "Bearer …" }`, or nothing when signed out. */
export const authHeaders = (session: Session): Record<string, string> => {
  const token = session.accessToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};
