import type { HalLink, HalPage } from '../../helpscout/api-types.js';

export interface ListPage<T> {
  items: T[];
  page: HalPage;
  links: Record<string, HalLink>;
}

/**
 * Cuts one page out of `all` and builds HAL paging links the way the recordings show them: `first`, `last`,
 * `page`, `self`, `next` only when a later page exists, `prev` only after the first.
 */
export function paginate<T>(
  all: T[],
  pageNumber: number,
  size: number,
  href: { base: string; query: URLSearchParams },
): ListPage<T> {
  const totalPages = Math.ceil(all.length / size);
  const items = all.slice((pageNumber - 1) * size, pageNumber * size);
  const withPage = (n: number | undefined): string => {
    const q = new URLSearchParams(href.query);
    q.delete('page');
    if (n !== undefined) q.set('page', String(n));
    const s = q.toString();
    return s ? `${href.base}?${s}` : href.base;
  };
  const links: Record<string, HalLink> = {
    first: { href: withPage(1) },
    last: { href: withPage(Math.max(1, totalPages)) },
    page: { href: withPage(undefined) },
    self: { href: withPage(pageNumber === 1 && !href.query.has('page') ? undefined : pageNumber) },
  };
  if (pageNumber < totalPages) links.next = { href: withPage(pageNumber + 1) };
  if (pageNumber > 1) links.prev = { href: withPage(pageNumber - 1) };
  return { items, links, page: { size, totalElements: all.length, totalPages, number: pageNumber } };
}

/** The list body: `_embedded.<key>` (present but empty, or absent, on an empty page), `_links`, `page`. */
export function halList<T>(
  key: string,
  list: ListPage<T>,
  render: (item: T) => unknown,
  emptyEmbedded: 'present' | 'absent',
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (list.items.length > 0 || emptyEmbedded === 'present') {
    body._embedded = { [key]: list.items.map(render) };
  }
  body._links = list.links;
  body.page = list.page;
  return body;
}
