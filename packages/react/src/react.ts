/**
 * The React APIs the hooks use, imported once: a bundler then emits a single `import` from
 * `react` for the whole package instead of one per hook file (about 60 bytes gzipped).
 *
 * @internal
 */
export {
  createContext,
  createElement,
  useCallback,
  useContext,
  useEffect,
  useInsertionEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react'
