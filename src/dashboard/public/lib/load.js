// @ts-check
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';

/** Bumped by the shell every 30 s (unless someone is typing): views reload their data. */
export const RefreshTick = createContext(0);

/**
 * @template T
 * @typedef {{ data: T | null, error: unknown, loading: boolean, reload: () => void }} Loaded
 */

/**
 * Loads a view's data, again when `deps` change, on every refresh tick and on `reload()`.
 * While it reloads, the last data stays on screen.
 * @template T
 * @param {() => Promise<T>} load
 * @param {unknown[]} deps
 * @returns {Loaded<T>}
 */
export function useLoad(load, deps) {
  const tick = useContext(RefreshTick);
  const [again, setAgain] = useState(0);
  /** @type {[{ data: T | null, error: unknown, loading: boolean }, (s: any) => void]} */
  const [state, setState] = useState({
    data: /** @type {T | null} */ (null),
    error: null,
    loading: true,
  });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) =>
        live &&
        setState((/** @type {{ data: T | null }} */ previous) => ({
          data: previous.data,
          error,
          loading: false,
        })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick, again]);
  return { ...state, reload: () => setAgain((n) => n + 1) };
}
