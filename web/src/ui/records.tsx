// Lists of records: a table, with each column heading scoped to its column, an optional caption, an optional last
// column of row actions whose heading only screen readers read, and for wide tables a box that scrolls sideways
// instead of the page; and the button under a paged list that asks for the page after the last one shown.
import type { ReactNode } from 'react';

export function Table({
  columns,
  caption,
  actions = false,
  scroll = false,
  className,
  children,
}: {
  columns: readonly string[];
  caption?: string;
  actions?: boolean;
  scroll?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const table = (
    <table className={className}>
      {caption !== undefined && <caption>{caption}</caption>}
      <thead>
        <tr>
          {columns.map((column, index) => (
            <th key={index} scope="col">
              {column}
            </th>
          ))}
          {actions && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
  return scroll ? <div className="table-scroll">{table}</div> : table;
}

/** Shown while there is a next page: the list's query again (its fetchMore and variables) after the last cursor. */
export function LoadMore<V extends object>({
  pageInfo,
  loading,
  fetchMore,
  variables,
  label = 'Load more',
  loadingLabel = label,
}: {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
  loading: boolean;
  fetchMore(options: { variables: V & { after?: string | null } }): Promise<unknown>;
  variables: V;
  label?: string;
  loadingLabel?: string;
}) {
  if (!pageInfo?.hasNextPage) return null;
  return (
    <button
      type="button"
      disabled={loading}
      onClick={() => void fetchMore({ variables: { ...variables, after: pageInfo.endCursor } })}
    >
      {loading ? loadingLabel : label}
    </button>
  );
}
