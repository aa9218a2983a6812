// Hash routes (`#/filing/ALG-2025-017?x=y`): the console's server serves one
// page, and the identity provider's redirect back lands on `/` with its
// own query, untouched by the routes.
import { useSyncExternalStore } from 'react';

export interface Route {
  /** The first path segment, e.g. `filing`; '' for the home page. */
  readonly name: string;
  /** The rest of the path, decoded, or `null`. */
  readonly arg: string | null;
  readonly params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [pathname = '', query = ''] = path.split('?');
  const [name = '', ...rest] = pathname.split('/');
  return {
    name,
    arg: rest.length > 0 ? decodeURIComponent(rest.join('/')) : null,
    params: new URLSearchParams(query),
  };
}

/** A route's parameter `name`, `null` when absent or empty. */
export function routeParam(route: Route, name: string): string | null {
  const value = route.params.get(name);
  return value === null || value === '' ? null : value;
}

/** `#/name[/arg]?params`, without empty parameters. */
export function hrefFor(
  name: string,
  arg?: string | null,
  params: Record<string, string | null | undefined> = {},
): string {
  const query = new URLSearchParams(
    Object.entries(params).filter(
      (entry): entry is [string, string] =>
        entry[1] !== null && entry[1] !== undefined && entry[1] !== '',
    ),
  ).toString();
  const tail =
    arg === null || arg === undefined ? '' : `/${encodeURIComponent(arg)}`;
  return `#/${name}${tail}${query === '' ? '' : `?${query}`}`;
}

export function navigate(href: string): void {
  if (window.location.hash === href) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = href;
  }
}

const subscribe = (callback: () => void): (() => void) => {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
};

/** The current route; re-renders on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
