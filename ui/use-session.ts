// The signed-in session as React state (session.ts holds it; this re-renders on every change).
import { useEffect, useState } from 'react';
import { getSession, onSessionChange, type Session } from './session';

export function useSession(): Session | null {
  const [session, setSession] = useState(getSession());
  useEffect(() => onSessionChange(setSession), []);
  return session;
}
