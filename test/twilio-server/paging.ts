/**
 * Twilio's page envelope for Messages lists. The next page is addressed by a PageToken naming the last
 * message shown ("PA" + its sid), so that messages created while a caller pages do not shift the pages.
 */
import type { StoredMessage } from './store.js';
import type { Params } from './validation.js';

const DEFAULT_PAGE_SIZE = 50;
const PAGING = new Set(['PageSize', 'Page', 'PageToken']);

export function pageOf(listPath: string, params: Params, found: StoredMessage[], now: number): Record<string, unknown> {
  const pageSize = params.PageSize ? Number(params.PageSize) : DEFAULT_PAGE_SIZE;
  const page = params.Page ? Number(params.Page) : 0;
  let start = page * pageSize;
  const token = params.PageToken as string | undefined;
  if (token) {
    const index = found.findIndex((m) => m.sid === token.slice(2));
    start = index === -1 ? found.length : index + 1;
  }
  const items = found.slice(start, start + pageSize);
  const filters = Object.entries(params).filter(([name]) => !PAGING.has(name)) as [string, string][];
  const uri = (p: number, pageToken?: string) => {
    const query = new URLSearchParams(filters);
    query.set('PageSize', String(pageSize));
    query.set('Page', String(p));
    if (pageToken) query.set('PageToken', pageToken);
    return `${listPath}?${query.toString().replaceAll('+', '%20')}`;
  };
  const last = items[items.length - 1];
  return {
    end: items.length === 0 ? start : start + items.length - 1,
    first_page_uri: uri(0),
    messages: items.map((m) => m.toResource(now)),
    next_page_uri: last && start + items.length < found.length ? uri(page + 1, `PA${last.sid}`) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? uri(page - 1) : null,
    start,
    uri: uri(page, token),
  };
}
