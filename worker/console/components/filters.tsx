import type { Child } from 'hono/jsx';

/** A GET form of filters: each is a query parameter, so the filtered view is a URL. */
export const FilterForm = ({ label, children }: { label: string; children: Child }) => (
  <form method="get" role="search" aria-label={label}>
    <div class="grid">{children}</div>
    <button type="submit" class="secondary">Filter</button>
  </form>
);

/** A select of `options` with "Any" first, bound to the query parameter `name`. */
export function ChoiceFilter({ url, label, name, options }: { url: URL; label: string; name: string; options: readonly string[] }) {
  const value = url.searchParams.get(name) ?? '';
  return (
    <label>
      {label}
      <select name={name}>
        <option value="" selected={value === ''}>Any</option>
        {options.map((o) => <option value={o} selected={value === o}>{o}</option>)}
      </select>
    </label>
  );
}

/** A text filter bound to the query parameter `name`. */
export const TextFilter = ({ url, label, name, placeholder }: { url: URL; label: string; name: string; placeholder?: string }) => (
  <label>
    {label}
    <input name={name} type="text" value={url.searchParams.get(name) ?? ''} placeholder={placeholder} />
  </label>
);
