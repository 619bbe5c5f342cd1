import type { Context, Hono } from 'hono';
import type { ConsoleEnv } from '../context.js';
import { consoleApi } from '../api.js';
import { BarePage } from '../layout.js';
import { endSession, startSession } from '../session.js';

/** Only a console path of this origin is a place to go back to (no `//evil`, no `/\evil`, no scheme). */
export function safeNext(next: string | undefined): string {
  return next && /^\/console(\/[^\\]*)?$/.test(next) && !next.startsWith('//') ? next : '/console';
}

function SignIn({ next, failed, oidc }: { next: string; failed?: string | undefined; oidc: boolean }) {
  return (
    <BarePage title="Sign in">
      {failed && <article role="alert">{failed}</article>}
      <form method="post" action="/console/sign-in">
        <input type="hidden" name="next" value={next} />
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="off" required spellcheck={false} />
        <button type="submit">Sign in</button>
      </form>
      {oidc && (
        <p>
          <a href={`/console/oidc/start?next=${encodeURIComponent(next)}`}>Sign in with single sign-on</a>
        </p>
      )}
    </BarePage>
  );
}

export function mountSignIn(app: Hono<ConsoleEnv>, api: Hono<any>) {
  const oidc = (c: Context<ConsoleEnv>) => c.get('deps').oidcLogin !== undefined;

  app.get('/sign-in', (c) => c.html(<SignIn next={safeNext(c.req.query('next'))} oidc={oidc(c)} />));

  app.post('/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
    // the API itself judges the token (and counts failures against the caller's address, as for any client)
    const answer = token
      ? await consoleApi(api, c, token)('GET', '/v1/tenants?limit=1').catch(() => ({ status: 401, ok: false }))
      : { status: 401, ok: false };
    if (!answer.ok) {
      const failed = answer.status === 429 ? 'Too many attempts; wait a minute and try again.' : 'The token was not accepted.';
      return c.html(<SignIn next={next} failed={failed} oidc={oidc(c)} />, answer.status === 429 ? 429 : 401);
    }
    await startSession(c, token);
    return c.redirect(next, 303);
  });

  app.post('/sign-out', (c) => {
    endSession(c);
    return c.redirect('/console/sign-in', 303);
  });
}
