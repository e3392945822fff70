/**
 * Paging and filtering of long listings (topics, groups): `?filter=` keeps the names that
 * contain it (case-insensitive), `?offset=&limit=` selects a page of what is left.
 */
import { integerParam } from '../http/request-values.js';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

export interface Page<T> {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly filter: string;
  readonly items: readonly T[];
}

export function pageOf<T>(
  all: readonly T[],
  nameOf: (item: T) => string,
  params: URLSearchParams,
): Page<T> {
  const offset = integerParam(params, 'offset', 0, 0, 2 ** 31 - 1);
  const limit = integerParam(params, 'limit', DEFAULT_PAGE, 1, MAX_PAGE);
  const filter = (params.get('filter') ?? '').trim();
  const needle = filter.toLowerCase();
  const kept = needle === '' ? all : all.filter((i) => nameOf(i).toLowerCase().includes(needle));
  return {
    total: kept.length,
    offset,
    limit,
    filter,
    items: kept.slice(offset, offset + limit),
  };
}
