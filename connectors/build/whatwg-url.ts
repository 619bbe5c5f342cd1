/** Node's own URL classes, in place of the whatwg-url package in the connector bundle (see bundle.ts). */
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;
export default { URL, URLSearchParams };
