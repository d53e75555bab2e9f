import { ApiError } from '../api-error.js';
import { parseSearchQuery } from '../conversation-filter.js';
import { halList, paginate } from '../render/hal.js';
import { renderCustomer, renderMailbox, renderUser } from '../render/resources.js';
import { OWNER_USER_ID } from '../seed.js';
import { emailsOf } from '../store.js';
import { type Handler, idParam, pageParam } from './context.js';

/** `GET /v2/customers[?query=(email:"…")]`: a contains-match; `_embedded.customers` is present even when empty. */
export const listCustomers: Handler = (ctx, req) => {
  const terms = parseSearchQuery(req.query.get('query') ?? '', ['email']);
  const page = pageParam(req.query);
  const found = [...ctx.store.customers.values()]
    .filter((c) =>
      terms.every((t) => emailsOf(c).some((e) => e.toLowerCase().includes(t.value.toLowerCase()))),
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  const list = paginate(found, page, ctx.opts.listPageSize, {
    base: `${ctx.origin}/v2/customers`,
    query: req.query,
    templated: ctx.opts.pageLinkTemplated,
  });
  return { status: 200, body: halList('customers', list, (c) => renderCustomer(ctx, c), 'present') };
};

export const getCustomer: Handler = (ctx, req) => {
  const customer = ctx.store.customers.get(idParam(req, 'id'));
  if (!customer) throw ApiError.notFound(`Customer ${req.params.id}`);
  return { status: 200, body: renderCustomer(ctx, customer) };
};

/** `GET /v2/users[?email=…]`: teams are listed among users. */
export const listUsers: Handler = (ctx, req) => {
  const email = req.query.get('email')?.toLowerCase();
  const page = pageParam(req.query);
  const found = [...ctx.store.users.values()].filter((u) => !email || u.email.toLowerCase() === email);
  const list = paginate(found, page, ctx.opts.listPageSize, {
    base: `${ctx.origin}/v2/users/`,
    query: req.query,
    templated: ctx.opts.pageLinkTemplated,
  });
  return { status: 200, body: halList('users', list, (u) => renderUser(ctx, u), ctx.opts.emptyPageEmbedded) };
};

export const getUser: Handler = (ctx, req) => {
  const id = req.params.id === 'me' ? OWNER_USER_ID : idParam(req, 'id');
  const user = ctx.store.users.get(id);
  if (!user) throw ApiError.notFound(`User ${req.params.id}`);
  return { status: 200, body: renderUser(ctx, user) };
};

export const listMailboxes: Handler = (ctx, req) => {
  const page = pageParam(req.query);
  // Oldest first (mailbox-list.yml lists them by creation date).
  const all = [...ctx.store.mailboxes.values()].sort(
    (a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id - b.id,
  );
  const list = paginate(all, page, ctx.opts.listPageSize, {
    base: `${ctx.origin}/v2/mailboxes/`,
    query: req.query,
    templated: ctx.opts.pageLinkTemplated,
  });
  return {
    status: 200,
    body: halList('mailboxes', list, (m) => renderMailbox(ctx, m), ctx.opts.emptyPageEmbedded),
  };
};

export const getMailbox: Handler = (ctx, req) => {
  const mailbox = ctx.store.mailboxes.get(idParam(req, 'id'));
  if (!mailbox) throw ApiError.notFound(`Mailbox ${req.params.id}`);
  return { status: 200, body: renderMailbox(ctx, mailbox) };
};
