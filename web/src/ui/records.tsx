// Lists of records: a table, with each column heading scoped to its column, an optional caption, an optional last
// column of row actions whose heading only screen readers read, in a box that scrolls sideways when the table is
// wider than the window, so the page never does; and the button under a paged list that asks for the page after the
// last one shown.
import type { ReactNode } from 'react';

export function Table({
  columns,
  caption,
  actions = false,
  className,
  children,
}: {
  columns: readonly string[];
  caption?: string;
  actions?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-scroll">
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
    </div>
  );
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
