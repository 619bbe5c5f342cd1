/**
 * Cursor paging in the URL: "Next page" carries the API's cursor, "First page"
 * drops it, and every other query parameter (filters, sorting) is kept, so
 * each page is a link that can be shared and the back button walks through them.
 */
export function Pager({ url, nextCursor, label }: { url: URL; nextCursor: string | null | undefined; label: string }) {
  const first = new URL(url);
  first.searchParams.delete('cursor');
  const next = new URL(url);
  if (nextCursor) next.searchParams.set('cursor', nextCursor);
  const onFirst = !url.searchParams.has('cursor');
  if (onFirst && !nextCursor) return null;
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      {!onFirst && <a href={first.pathname + first.search}>First page</a>}
      {nextCursor && <a href={next.pathname + next.search} rel="next">Next page</a>}
    </nav>
  );
}
