// Loopback OpenID Connect provider for Hearth end-to-end tests.
//
// Built on panva's `oidc-provider`. Configuration comes from environment
// variables (see docs/notes/oidc-provider.md). On start it prints exactly one
// line to stdout:
//
//   OIDC_READY http://127.0.0.1:<port>
//
// and then serves until SIGTERM/SIGINT. Everything else goes to stderr.
//
// Interaction pages (login, consent) are plain HTML forms that work without
// JavaScript, so a test can drive them with any HTTP client that keeps cookies.

import * as crypto from 'node:crypto';
import * as http from 'node:http';

// oidc-provider prints notices with console.info (stdout). Keep stdout for the
// READY line only: send every other console output to stderr.
console.info = (...args) => console.error(...args);
console.log = (...args) => console.error(...args);

const { default: Provider, errors: oidcErrors } = await import('oidc-provider');
// Progress on stderr, so a start that hangs shows how far it got.
process.stderr.write('oidc test provider: module loaded\n');

// ---------------------------------------------------------------------------
// Configuration from the environment
// ---------------------------------------------------------------------------

function fail(message) {
  process.stderr.write(`oidc test provider: ${message}\n`);
  process.exit(2);
}

function list(value) {
  return (value || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

const env = process.env;
const host = env.OIDC_HOST || '127.0.0.1';
const port = Number.parseInt(env.OIDC_PORT ?? '0', 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad OIDC_PORT: ${env.OIDC_PORT}`);

const clientId = env.OIDC_CLIENT_ID || fail('OIDC_CLIENT_ID is required');
const clientSecret = env.OIDC_CLIENT_SECRET || fail('OIDC_CLIENT_SECRET is required');
const redirectUris = list(env.OIDC_REDIRECT_URIS);
if (redirectUris.length === 0) fail('OIDC_REDIRECT_URIS is required (comma-separated)');
const postLogoutRedirectUris = list(env.OIDC_POST_LOGOUT_REDIRECT_URIS);

const codeTtl = Number.parseInt(env.OIDC_CODE_TTL_SECONDS ?? '60', 10);
if (!Number.isInteger(codeTtl) || codeTtl < 1) fail(`bad OIDC_CODE_TTL_SECONDS: ${env.OIDC_CODE_TTL_SECONDS}`);

// OIDC_ROGUE_JWKS: unset/"0" = normal; "1" (or "same-kid") = publish a different
// RSA key under the SAME kid as the signing key (signature check fails);
// "other-kid" = publish a different RSA key under a different kid (key lookup fails).
const rogueRaw = (env.OIDC_ROGUE_JWKS || '0').trim().toLowerCase();
let rogueMode;
if (['', '0', 'false', 'no', 'off'].includes(rogueRaw)) rogueMode = null;
else if (['1', 'true', 'yes', 'on', 'same-kid'].includes(rogueRaw)) rogueMode = 'same-kid';
else if (rogueRaw === 'other-kid') rogueMode = 'other-kid';
else fail(`bad OIDC_ROGUE_JWKS: ${env.OIDC_ROGUE_JWKS} (use 0, 1, same-kid or other-kid)`);

let users;
try {
  users = JSON.parse(env.OIDC_USERS || '[]');
} catch (err) {
  fail(`OIDC_USERS is not valid JSON: ${err.message}`);
}
if (!Array.isArray(users)) fail('OIDC_USERS must be a JSON array');
for (const u of users) {
  if (!u || typeof u.sub !== 'string' || !u.sub || typeof u.username !== 'string' || typeof u.password !== 'string') {
    fail('every OIDC_USERS entry needs string "sub", "username" and "password"');
  }
}
const usersBySub = new Map(users.map((u) => [u.sub, u]));
const usersByName = new Map(users.map((u) => [u.username, u]));

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

function rsaJwk(kid) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

function publicPart({ kty, n, e, kid, alg, use }) {
  return { kty, n, e, kid, alg, use };
}

const signingKid = `hearth-test-${crypto.randomBytes(6).toString('hex')}`;
const signingKey = rsaJwk(signingKid);
process.stderr.write('oidc test provider: signing key generated\n');
let rogueJwks = null;
if (rogueMode) {
  const rogueKid = rogueMode === 'same-kid' ? signingKid : `hearth-rogue-${crypto.randomBytes(6).toString('hex')}`;
  rogueJwks = { keys: [publicPart(rsaJwk(rogueKid))] };
}

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

function accountClaims(user) {
  const claims = { sub: user.sub, preferred_username: user.username };
  for (const name of ['email', 'email_verified', 'name', 'groups']) {
    if (user[name] !== undefined) claims[name] = user[name];
  }
  return claims;
}

async function findAccount(_ctx, sub) {
  const user = usersBySub.get(sub);
  if (!user) return undefined;
  return {
    accountId: sub,
    // oidc-provider filters these down to what the granted scopes allow.
    async claims() {
      return accountClaims(user);
    },
  };
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

function esc(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function page(title, body) {
  return `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body>
<h1>${esc(title)}</h1>
${body}
</body>
</html>
`;
}

function loginPage(uid, { error, username, clientId: cid } = {}) {
  return page('Sign in', `${cid ? `<p>Signing in to <code>${esc(cid)}</code></p>\n` : ''}${error ? `<p class="error" id="error">${esc(error)}</p>\n` : ''}<form method="post" action="/interaction/${esc(uid)}/login">
<label>Username <input type="text" name="username" value="${esc(username)}" autofocus></label>
<label>Password <input type="password" name="password"></label>
<button type="submit" name="action" value="login">Sign in</button>
</form>
<form method="post" action="/interaction/${esc(uid)}/abort">
<button type="submit" name="action" value="deny">Cancel</button>
</form>
`);
}

function consentPage(uid, { clientId: cid, accountId, scopes, claims }) {
  const items = [...scopes].map((s) => `<li class="scope">${esc(s)}</li>`).join('\n');
  return page('Authorize', `<p>Client <code>${esc(cid)}</code> asks for access to your account <code>${esc(accountId)}</code>.</p>
<ul>
${items}
</ul>
${claims.length ? `<p>Claims: ${claims.map(esc).join(', ')}</p>\n` : ''}<form method="post" action="/interaction/${esc(uid)}/confirm">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
`);
}

// ---------------------------------------------------------------------------
// Provider
// ---------------------------------------------------------------------------

const clientMetadata = {
  client_id: clientId,
  client_secret: clientSecret,
  redirect_uris: redirectUris,
  response_types: ['code'],
  grant_types: ['authorization_code'],
  // oidc-provider accepts client_secret_post for a client registered with
  // client_secret_basic (and vice versa): both secret methods are interchangeable.
  token_endpoint_auth_method: 'client_secret_basic',
  id_token_signed_response_alg: 'RS256',
  application_type: 'web',
};
if (postLogoutRedirectUris.length) clientMetadata.post_logout_redirect_uris = postLogoutRedirectUris;

function buildProvider(issuer) {
  const configuration = {
    clients: [clientMetadata],
    jwks: { keys: [signingKey] },
    findAccount,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    // Put the scope-granted claims into the ID token too (not only userinfo).
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    cookies: {
      keys: [crypto.randomBytes(32).toString('hex')],
      // Cookies are only flagged Secure when the request itself is https, so
      // plain http on loopback works with the defaults below.
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    ttl: {
      AuthorizationCode: codeTtl,
      AccessToken: 3600,
      IdToken: 3600,
      Interaction: 3600,
      Session: 86400,
      Grant: 86400,
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          // `form` is `<form id="op.logoutForm" method="post" action="ABSOLUTE"><input
          // type="hidden" name="xsrf" value="..."/></form>`; re-render it with a path
          // action and the buttons inside the form so it works without JS.
          const xsrf = /name="xsrf" value="([^"]*)"/.exec(form)?.[1] ?? '';
          ctx.type = 'html';
          ctx.body = page('Sign out', `<form method="post" action="/session/end/confirm">
<input type="hidden" name="xsrf" value="${esc(xsrf)}">
<button type="submit" name="logout" value="yes">Yes, sign me out</button>
</form>
`);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = page('Signed out', '<p>You are signed out.</p>\n');
        },
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      const rows = Object.entries(out)
        .map(([k, v]) => `<p><strong class="${esc(k)}">${esc(k)}</strong>: <span id="${esc(k)}">${esc(v)}</span></p>`)
        .join('\n');
      ctx.body = page('Error', rows);
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.on('server_error', (_ctx, err) => console.error('oidc server_error:', err));
  return provider;
}

// ---------------------------------------------------------------------------
// Interaction routes (mounted in front of oidc-provider's own routes)
// ---------------------------------------------------------------------------

async function readForm(req, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

function sendHtml(ctx, status, html) {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = html;
}

function redirect303(ctx, location) {
  ctx.status = 303;
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(location);
}

function interactionMiddleware(provider) {
  const interactionPath = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?\/?$/;

  return async function interactions(ctx, next) {
    if (rogueJwks && ctx.method === 'GET' && ctx.path === '/jwks') {
      ctx.status = 200;
      ctx.type = 'application/jwk-set+json; charset=utf-8';
      ctx.body = rogueJwks;
      return;
    }

    const m = interactionPath.exec(ctx.path);
    if (!m) {
      await next();
      return;
    }
    const [, uid, step] = m;
    const method = ctx.method;
    if ((step && method !== 'POST') || (!step && method !== 'GET')) {
      ctx.status = 405;
      ctx.set('Allow', step ? 'POST' : 'GET');
      ctx.body = 'method not allowed';
      return;
    }

    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (err) {
      if (err instanceof oidcErrors.SessionNotFound) {
        sendHtml(ctx, 400, page('Error', `<p><strong>error</strong>: <span id="error">invalid_request</span></p>
<p><strong>error_description</strong>: <span id="error_description">${esc(err.error_description || err.message)}</span></p>
`));
        return;
      }
      throw err;
    }
    if (details.uid !== uid) {
      sendHtml(ctx, 400, page('Error', '<p><strong>error</strong>: <span id="error">invalid_request</span></p>\n<p><strong>error_description</strong>: <span id="error_description">interaction id does not match the interaction cookie</span></p>\n'));
      return;
    }

    const { prompt, params, session } = details;
    const body = step ? await readForm(ctx.req) : {};

    if (step === 'abort' || (step === 'confirm' && body.decision !== 'approve')) {
      const result = { error: 'access_denied', error_description: 'End-User aborted interaction' };
      redirect303(ctx, await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
      return;
    }

    if (prompt.name === 'login') {
      if (!step) {
        sendHtml(ctx, 200, loginPage(uid, { clientId: params.client_id }));
        return;
      }
      if (step !== 'login') {
        sendHtml(ctx, 400, loginPage(uid, { clientId: params.client_id, error: 'Please sign in first.' }));
        return;
      }
      const user = usersByName.get(body.username ?? '');
      const ok = user && typeof body.password === 'string'
        && crypto.timingSafeEqual(
          crypto.createHash('sha256').update(body.password).digest(),
          crypto.createHash('sha256').update(user.password).digest(),
        );
      if (!ok) {
        sendHtml(ctx, 200, loginPage(uid, {
          clientId: params.client_id,
          username: body.username,
          error: 'Invalid username or password.',
        }));
        return;
      }
      const result = { login: { accountId: user.sub } };
      redirect303(ctx, await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
      return;
    }

    if (prompt.name === 'consent') {
      const d = prompt.details || {};
      if (!step) {
        const scopes = new Set([...(d.missingOIDCScope || []), ...String(params.scope || '').split(' ').filter(Boolean)]);
        sendHtml(ctx, 200, consentPage(uid, {
          clientId: params.client_id,
          accountId: session?.accountId,
          scopes,
          claims: d.missingOIDCClaims || [],
        }));
        return;
      }
      if (step !== 'confirm') {
        sendHtml(ctx, 400, page('Error', '<p><strong>error</strong>: <span id="error">invalid_request</span></p>\n<p><strong>error_description</strong>: <span id="error_description">this interaction expects consent</span></p>\n'));
        return;
      }
      // Approve: grant whatever the authorization request asked for.
      let { grantId } = details;
      const grant = grantId
        ? await provider.Grant.find(grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
      if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
      if (d.missingResourceScopes) {
        for (const [indicator, scopes] of Object.entries(d.missingResourceScopes)) {
          grant.addResourceScope(indicator, scopes.join(' '));
        }
      }
      grantId = await grant.save();
      const result = { consent: details.grantId ? {} : { grantId } };
      redirect303(ctx, await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true }));
      return;
    }

    sendHtml(ctx, 400, page('Error', `<p><strong>error</strong>: <span id="error">invalid_request</span></p>\n<p><strong>error_description</strong>: <span id="error_description">unsupported prompt ${esc(prompt.name)}</span></p>\n`));
  };
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

let handler = (_req, res) => {
  res.statusCode = 503;
  res.end('starting');
};
const server = http.createServer((req, res) => handler(req, res));
server.keepAliveTimeout = 5000;

server.on('error', (err) => fail(`listen on ${host}:${port} failed: ${err.message}`));

server.listen(port, host, () => {
  const actualPort = server.address().port;
  const issuerHost = env.OIDC_ISSUER_HOST || (['0.0.0.0', '::', '[::]'].includes(host) ? '127.0.0.1' : host);
  const hostPart = issuerHost.includes(':') && !issuerHost.startsWith('[') ? `[${issuerHost}]` : issuerHost;
  const issuer = `http://${hostPart}:${actualPort}`;

  const provider = buildProvider(issuer);
  provider.use(interactionMiddleware(provider));
  handler = provider.callback();

  process.stderr.write(`oidc test provider: issuer ${issuer}, client ${clientId}, ${users.length} user(s), code TTL ${codeTtl}s${rogueMode ? `, ROGUE JWKS (${rogueMode})` : ''}\n`);
  process.stdout.write(`OIDC_READY ${issuer}\n`);
});

function shutdown(signal) {
  process.stderr.write(`oidc test provider: ${signal}, shutting down\n`);
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
