/**
 * A module of the build (dist/), typed as its source. For code that starts a worker thread: the TypeScript
 * loader the tests and the bench run under does not reach worker threads, so that code must be the compiled
 * one (`npm test` and `npm run bench` build first), and so must everything it is used with (instanceof).
 */
export function built<T>(module: string): Promise<T> {
  return import(new URL(`../../dist/${module}`, import.meta.url).href) as Promise<T>;
}
