/**
 * Answers "which methods does this path support?" from the declared routes,
 * so an unsupported method gets 405 with `Allow` instead of 404.
 */
export function allowedMethods(routes: { method: string; path: string }[]) {
  const table = routes.map((r) => ({
    method: r.method.toUpperCase(),
    re: new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
  }));
  return (path: string): string[] => {
    const methods = new Set(table.filter((r) => r.re.test(path)).map((r) => r.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
