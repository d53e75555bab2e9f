import { type RequestLimits, requestLimitProblem } from '../api/request-size.js';
import type { SourceItem } from '../source/types.js';

/**
 * A row whose message no request of the configured sizes could carry is rejected while the export is read,
 * where `validate` sees it too, rather than failing its conversation on a 413 at send time.
 */
export function withinLimits(item: SourceItem, limits: RequestLimits): SourceItem {
  if (item.kind === 'reject') return item;
  const { row } = item;
  const problem = requestLimitProblem(row, limits);
  if (problem === undefined) return item;
  return {
    kind: 'reject',
    reject: { pos: row.pos, ...problem, raw: row.raw, headers: Object.keys(row.raw) },
  };
}
