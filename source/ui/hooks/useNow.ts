/**
 * The wall clock, ticking every `intervalMs` while `running`: for "checking… 3s" while a long
 * read goes on. Stopped, it costs nothing and causes no re-render.
 */
import { useEffect, useState } from 'react';

export function useNow(running: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      setNow(Date.now());
    }, intervalMs);
    return () => {
      clearInterval(timer);
    };
  }, [running, intervalMs]);
  return now;
}
