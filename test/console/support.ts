import type { Harness } from '../support/harness.js';

export const ORIGIN = 'https://fleetplane.test';

/** Signs in with a token as the sign-in form does; answers the session cookie ("fp_session=..."). */
export async function signIn(h: Harness, token: string): Promise<string> {
  const res = await h.fetch(`${ORIGIN}/console/sign-in`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, next: '/console' }),
    redirect: 'manual',
  });
  if (res.status !== 303) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** A console page as the browser asks for it (with the session cookie), its HTML read. */
export async function page(h: Harness, cookie: string, path: string, init: RequestInit = {}) {
  const res = await h.fetch(`${ORIGIN}${path}`, { redirect: 'manual', ...init, headers: { cookie, ...init.headers } });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/** A form POST from a console page (same Origin), as the browser sends it. */
export const post = (h: Harness, cookie: string, path: string, form: Record<string, string>, origin = ORIGIN) =>
  page(h, cookie, path, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });

/** A tab's live feed (`/console/t/{tenant}/live`): the event names it receives, collected as they come. */
export async function openLiveFeed(fetcher: (url: string, init: RequestInit) => Promise<Response>, url: string, cookie: string) {
  const abort = new AbortController();
  const res = await fetcher(url, { headers: { cookie }, signal: abort.signal });
  const events: string[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      text += value;
      const frames = text.split('\n\n');
      text = frames.pop()!;
      for (const f of frames) {
        const name = /^event: (\w+)$/m.exec(f)?.[1];
        if (name) events.push(name);
      }
    }
  })();
  return {
    res, events,
    close: async () => {
      abort.abort();
      await reader.cancel().catch(() => {});
      await reading;
    },
  };
}
