/** The slice of workerd's `cloudflare:workers` module the workerd tests use. */
declare module 'cloudflare:workers' {
  export const env: Record<string, unknown>;
  export const exports: {
    default: { fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> };
  };
}
