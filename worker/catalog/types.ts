/** A built-in template: read-only, offered to every tenant. */
export interface CatalogVersion {
  version: string;
  /** JSON Schema 2020-12 for the values, with a default for every parameter */
  parameters: Record<string, unknown>;
  /** YAML documents templated with json-e */
  manifests: string;
}

export interface CatalogTemplate {
  name: string;
  description: string;
  category: string;
  versions: CatalogVersion[];
}
