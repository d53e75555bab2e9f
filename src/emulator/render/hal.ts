import type { HalLink, HalPage } from '../../api/api-types.js';

export interface ListPage<T> {
  items: T[];
  page: HalPage;
  links: Record<string, HalLink>;
}

/**
 * Cuts one page out of `all` and builds HAL paging links the way the recordings show them: `first`, `last`,
 * `page`, `self`, `next` only when a later page exists, `prev` only after the first. The path ends with a
 * slash when the request has no filter (`/v2/customers/?page=2`) and not with one (`/v2/customers?query=…`,
 * `/v2/conversations?mailbox=…`). `_links.page` is a URI template in the 2020 recording, a plain href in 2019.
 */
export function paginate<T>(
  all: T[],
  pageNumber: number,
  size: number,
  href: { base: string; query: URLSearchParams; templated?: boolean },
): ListPage<T> {
  const totalPages = Math.ceil(all.length / size);
  const items = all.slice((pageNumber - 1) * size, pageNumber * size);
  const filter = new URLSearchParams(href.query);
  filter.delete('page');
  const base = href.base.replace(/\/+$/, '') + (filter.size === 0 ? '/' : '');
  const withPage = (n: number | undefined): string => {
    const q = new URLSearchParams(filter);
    if (n !== undefined) q.set('page', String(n));
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  const pageLink: HalLink = href.templated
    ? { href: `${withPage(undefined)}${filter.size === 0 ? '{?page}' : '{&page}'}`, templated: true }
    : { href: withPage(undefined) };
  const links: Record<string, HalLink> = {
    first: { href: withPage(1) },
    last: { href: withPage(Math.max(1, totalPages)) },
    page: pageLink,
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
