// Smoke test for tests/oidc/provider.js: drives the whole authorization code
// flow the way a relying party's test would, with a plain HTTP client (fetch
// with manual redirects and a small cookie jar, no JavaScript).
//
// Run: node --test tests/oidc/   (needs `npm ci` in tests/oidc first)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLIENT_ID = 'hearth-web';
const CLIENT_SECRET = 'hearth-secret';
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const POST_LOGOUT = 'http://127.0.0.1:9/logged-out';
const USERS = [
  {
    sub: 'u1', username: 'alice', password: 'pw', email: 'alice@example.com',
    email_verified: true, name: 'Alice', groups: ['support-agents'],
  },
  { sub: 'u2', username: 'bob', password: 'pw2', email: 'bob@example.com', email_verified: false, name: 'Bob', groups: [] },
];

// ---------------------------------------------------------------- provider

async function startProvider(extraEnv = {}) {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(here, 'provider.js')], {
    env: {
      ...process.env,
      OIDC_PORT: '0',
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URIS: `${REDIRECT_URI},http://127.0.0.1:9/other`,
      OIDC_POST_LOGOUT_REDIRECT_URIS: POST_LOGOUT,
      OIDC_USERS: JSON.stringify(USERS),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const issuer = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`provider did not start: ${stderr}`)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^OIDC_READY (\S+)\n/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`provider exited ${code}: ${stderr}`)); });
  });
  const startupMs = Date.now() - started;
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) { resolve(child.exitCode); return; }
    child.removeAllListeners('exit');
    child.on('exit', (code, signal) => resolve(code ?? signal));
    child.kill('SIGTERM');
  });
  return { issuer, child, stop, startupMs, stdout: () => '', stderr: () => stderr };
}

// ---------------------------------------------------------------- http client

class Jar {
  constructor() { this.cookies = new Map(); }

  store(res, url) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let cpath = '/';
      let expired = false;
      for (const a of attrs) {
        const [k, v] = a.split('=');
        if (k.toLowerCase() === 'path') cpath = v;
        if (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now()) expired = true;
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      }
      const key = `${name}|${cpath}`;
      if (expired || value === '') this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path: cpath });
    }
    void url;
  }

  header(url) {
    const p = new URL(url).pathname;
    return [...this.cookies.values()]
      .filter((c) => p === c.path || p.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

// Like tests/src/lib.rs `Browser`: one flat name->value map, no paths, no
// expiry handling except empty value / Max-Age=0, every cookie on every request.
class NaiveJar {
  constructor() { this.cookies = new Map(); }

  store(res) {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0];
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function request(jar, url, { method = 'GET', form, headers = {} } = {}) {
  const h = { ...headers };
  const cookie = jar?.header(url);
  if (cookie) h.cookie = cookie;
  let body;
  if (form) {
    body = new URLSearchParams(form).toString();
    h['content-type'] = 'application/x-www-form-urlencoded';
  }
  const res = await fetch(url, { method, headers: h, body, redirect: 'manual' });
  jar?.store(res, url);
  const text = await res.text();
  return { status: res.status, location: res.headers.get('location'), headers: res.headers, text };
}

// GET `url`, following redirects while they stay on the provider; stops at a
// 200 page or at a redirect that leaves the provider (the RP callback).
async function follow(jar, issuer, url, trace = []) {
  let current = url;
  for (let i = 0; i < 10; i += 1) {
    const res = await request(jar, current);
    trace.push(`${res.status} GET ${current}`);
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.location, current).href;
      if (!next.startsWith(`${issuer}/`)) return { ...res, url: current, leftTo: next };
      current = next;
      continue;
    }
    return { ...res, url: current };
  }
  throw new Error(`too many redirects: ${trace.join(' -> ')}`);
}

function formAction(html, pageUrl, must) {
  const forms = [...html.matchAll(/<form method="post" action="([^"]+)">/g)].map((m) => m[1]);
  const action = forms.find((a) => a.endsWith(must));
  assert.ok(action, `no form ending in ${must} on page: ${html}`);
  assert.ok(action.startsWith('/'), 'form action is a path');
  return new URL(action, pageUrl).href;
}

function pkce() {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

function authUrl(issuer, { state, nonce, challenge, scope = 'openid email profile groups', extra = {} }) {
  const u = new URL(`${issuer}/auth`);
  const q = {
    response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope, state, nonce,
    code_challenge: challenge, code_challenge_method: 'S256', ...extra,
  };
  for (const [k, v] of Object.entries(q)) if (v !== undefined) u.searchParams.set(k, v);
  return u.href;
}

// Runs authorize -> login -> consent (approve|deny). Returns the callback URL.
async function authorize(issuer, jar, {
  username = 'alice', password = 'pw', decision = 'approve', scope, extra,
} = {}) {
  const state = crypto.randomBytes(8).toString('hex');
  const nonce = crypto.randomBytes(8).toString('hex');
  const { verifier, challenge } = pkce();
  const trace = [];
  let res = await follow(jar, issuer, authUrl(issuer, { state, nonce, challenge, scope, extra }), trace);
  const steps = { trace };
  if (res.status === 200 && /name="password"/.test(res.text)) {
    steps.loginUrl = res.url;
    const action = formAction(res.text, res.url, '/login');
    const post = await request(jar, action, { method: 'POST', form: { username, password } });
    trace.push(`${post.status} POST ${action}`);
    if (post.status === 200) return { ...steps, loginError: post.text, state, nonce, verifier };
    assert.equal(post.status, 303);
    res = await follow(jar, issuer, new URL(post.location, action).href, trace);
  }
  if (res.status === 200 && /name="decision"/.test(res.text)) {
    steps.consentUrl = res.url;
    steps.consentHtml = res.text;
    const action = formAction(res.text, res.url, '/confirm');
    const post = await request(jar, action, { method: 'POST', form: { decision } });
    trace.push(`${post.status} POST ${action} decision=${decision}`);
    assert.equal(post.status, 303);
    res = await follow(jar, issuer, new URL(post.location, action).href, trace);
  }
  assert.ok(res.leftTo, `expected a redirect to the client, got ${res.status}: ${res.text.slice(0, 500)}`);
  const cb = new URL(res.leftTo);
  return { ...steps, callback: cb, params: Object.fromEntries(cb.searchParams), state, nonce, verifier };
}

async function token(issuer, form, auth = 'basic') {
  const headers = { accept: 'application/json' };
  const body = { grant_type: 'authorization_code', redirect_uri: REDIRECT_URI, ...form };
  if (auth === 'basic') {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64')}`;
  } else {
    body.client_id = CLIENT_ID;
    body.client_secret = CLIENT_SECRET;
  }
  const res = await request(null, `${issuer}/token`, { method: 'POST', form: body, headers });
  return { status: res.status, json: JSON.parse(res.text) };
}

function decodeJwt(jwt) {
  const [h, p, s] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url')),
    payload: JSON.parse(Buffer.from(p, 'base64url')),
    signingInput: `${h}.${p}`,
    signature: Buffer.from(s, 'base64url'),
  };
}

async function verifyWithJwks(issuer, jwt) {
  const { header, signingInput, signature } = decodeJwt(jwt);
  const jwks = JSON.parse((await request(null, `${issuer}/jwks`)).text);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) return { ok: false, reason: 'kid not in jwks', jwks };
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const ok = crypto.verify('RSA-SHA256', Buffer.from(signingInput), key, signature);
  return { ok, reason: ok ? 'verified' : 'signature mismatch', jwks };
}

const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

// ---------------------------------------------------------------- tests

for (const [jarName, makeJar] of [['path-aware jar', () => new Jar()], ['flat name-only jar', () => new NaiveJar()]]) {
test(`discovery, full code flow with PKCE, ID token claims, userinfo, code reuse, logout (${jarName})`, async (t) => {
  const op = await startProvider();
  t.after(op.stop);
  t.diagnostic(`startup ${op.startupMs} ms, issuer ${op.issuer}`);
  assert.match(op.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);

  const disco = JSON.parse((await request(null, `${op.issuer}/.well-known/openid-configuration`)).text);
  assert.equal(disco.issuer, op.issuer);
  assert.equal(disco.authorization_endpoint, `${op.issuer}/auth`);
  assert.equal(disco.token_endpoint, `${op.issuer}/token`);
  assert.equal(disco.jwks_uri, `${op.issuer}/jwks`);
  assert.equal(disco.userinfo_endpoint, `${op.issuer}/me`);
  assert.equal(disco.end_session_endpoint, `${op.issuer}/session/end`);
  assert.deepEqual(disco.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(disco.id_token_signing_alg_values_supported, ['RS256']);
  for (const s of ['openid', 'email', 'profile', 'groups']) assert.ok(disco.scopes_supported.includes(s));

  const jar = makeJar();
  const flow = await authorize(op.issuer, jar);
  t.diagnostic(flow.trace.join('\n'));
  assert.match(flow.loginUrl, new RegExp(`^${op.issuer}/interaction/[A-Za-z0-9_-]+$`));
  assert.match(flow.consentUrl, new RegExp(`^${op.issuer}/interaction/[A-Za-z0-9_-]+$`));
  assert.notEqual(flow.loginUrl, flow.consentUrl);
  assert.equal(`${flow.callback.origin}${flow.callback.pathname}`, REDIRECT_URI);
  assert.equal(flow.params.state, flow.state);
  assert.equal(flow.params.iss, op.issuer);
  assert.ok(flow.params.code);

  // Code exchange with client_secret_basic.
  const tok = await token(op.issuer, { code: flow.params.code, code_verifier: flow.verifier });
  assert.equal(tok.status, 200, JSON.stringify(tok.json));
  assert.equal(tok.json.token_type, 'Bearer');
  const idt = decodeJwt(tok.json.id_token);
  assert.equal(idt.header.alg, 'RS256');
  const c = idt.payload;
  assert.equal(c.iss, op.issuer);
  assert.equal(c.aud, CLIENT_ID);
  assert.equal(c.nonce, flow.nonce);
  assert.equal(c.sub, 'u1');
  assert.equal(c.email, 'alice@example.com');
  assert.equal(c.email_verified, true);
  assert.equal(c.name, 'Alice');
  assert.equal(c.preferred_username, 'alice');
  assert.deepEqual(c.groups, ['support-agents']);
  const v = await verifyWithJwks(op.issuer, tok.json.id_token);
  assert.equal(v.reason, 'verified');

  // Userinfo.
  const ui = await request(null, `${op.issuer}/me`, { headers: { authorization: `Bearer ${tok.json.access_token}` } });
  assert.equal(ui.status, 200);
  assert.deepEqual(JSON.parse(ui.text), {
    sub: 'u1', email: 'alice@example.com', email_verified: true, name: 'Alice', preferred_username: 'alice', groups: ['support-agents'],
  });

  // SSO: same cookie jar, second authorization goes straight back with a code.
  const sso = await authorize(op.issuer, jar);
  assert.equal(sso.loginUrl, undefined);
  assert.equal(sso.consentUrl, undefined);
  assert.ok(sso.params.code);

  // Code reuse -> invalid_grant. oidc-provider also revokes the whole grant
  // (tokens issued from it), so the next authorization asks for consent again.
  const reuse = await token(op.issuer, { code: flow.params.code, code_verifier: flow.verifier });
  assert.equal(reuse.status, 400);
  assert.equal(reuse.json.error, 'invalid_grant');
  t.diagnostic(`reuse: ${JSON.stringify(reuse.json)}`);
  const ui2 = await request(null, `${op.issuer}/me`, { headers: { authorization: `Bearer ${tok.json.access_token}` } });
  assert.equal(ui2.status, 401, 'access token revoked after code reuse');

  const again = await authorize(op.issuer, jar);
  assert.equal(again.loginUrl, undefined);
  assert.ok(again.consentUrl);
  assert.ok(again.params.code);

  // client_secret_post works too; wrong verifier fails.
  const bad = await token(op.issuer, { code: again.params.code, code_verifier: pkce().verifier }, 'post');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error, 'invalid_grant');
  const third = await authorize(op.issuer, jar);
  const post = await token(op.issuer, { code: third.params.code, code_verifier: third.verifier }, 'post');
  assert.equal(post.status, 200, JSON.stringify(post.json));

  // RP-initiated logout: GET end_session -> form -> POST confirm -> 303 post_logout_redirect_uri?state=
  const lu = new URL(`${op.issuer}/session/end`);
  lu.searchParams.set('id_token_hint', tok.json.id_token);
  lu.searchParams.set('post_logout_redirect_uri', POST_LOGOUT);
  lu.searchParams.set('state', 'bye');
  const lpage = await request(jar, lu.href);
  assert.equal(lpage.status, 200);
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(lpage.text)[1];
  const laction = formAction(lpage.text, lu.href, '/session/end/confirm');
  const lpost = await request(jar, laction, { method: 'POST', form: { xsrf, logout: 'yes' } });
  assert.equal(lpost.status, 303);
  assert.equal(lpost.location, `${POST_LOGOUT}?state=bye`);

  // After logout the next authorization asks for the password again.
  const afterLogout = await authorize(op.issuer, jar);
  assert.ok(afterLogout.loginUrl);
  assert.ok(afterLogout.consentUrl);
});
}

test('wrong password re-renders the login form; deny gives access_denied with state', async (t) => {
  const op = await startProvider();
  t.after(op.stop);

  const wrong = await authorize(op.issuer, new Jar(), { password: 'nope' });
  assert.match(wrong.loginError, /Invalid username or password/);
  assert.match(wrong.loginError, /name="username" value="alice"/);
  assert.match(wrong.loginError, /name="password"/);

  const denied = await authorize(op.issuer, new Jar(), { decision: 'deny' });
  assert.equal(denied.params.error, 'access_denied');
  assert.equal(denied.params.state, denied.state);
  assert.equal(denied.params.code, undefined);
  t.diagnostic(denied.callback.href);

  // A user without groups gets an empty groups claim; email_verified false.
  const bob = await authorize(op.issuer, new Jar(), { username: 'bob', password: 'pw2' });
  const tok = await token(op.issuer, { code: bob.params.code, code_verifier: bob.verifier });
  const c = decodeJwt(tok.json.id_token).payload;
  assert.equal(c.sub, 'u2');
  assert.equal(c.email_verified, false);
  assert.deepEqual(c.groups, []);

  // Scope limits claims: only openid -> no email/groups in the ID token.
  const narrow = await authorize(op.issuer, new Jar(), { scope: 'openid' });
  const ntok = await token(op.issuer, { code: narrow.params.code, code_verifier: narrow.verifier });
  const nc = decodeJwt(ntok.json.id_token).payload;
  assert.equal(nc.sub, 'u1');
  assert.equal(nc.email, undefined);
  assert.equal(nc.groups, undefined);

  // PKCE is required.
  const noPkce = await follow(new Jar(), op.issuer, authUrl(op.issuer, { state: 's', nonce: 'n', challenge: undefined }));
  const np = new URL(noPkce.leftTo).searchParams;
  assert.equal(np.get('error'), 'invalid_request');
  assert.equal(np.get('state'), 's');

  // Unregistered redirect_uri: error page on the provider, no redirect.
  const u = new URL(authUrl(op.issuer, { state: 's', nonce: 'n', challenge: pkce().challenge }));
  u.searchParams.set('redirect_uri', 'http://127.0.0.1:9/evil');
  const bad = await request(null, u.href);
  assert.equal(bad.status, 400);
  assert.match(bad.text, /<span id="error">invalid_redirect_uri<\/span>/);
});

test('code expires after OIDC_CODE_TTL_SECONDS', async (t) => {
  const op = await startProvider({ OIDC_CODE_TTL_SECONDS: '2' });
  t.after(op.stop);
  const flow = await authorize(op.issuer, new Jar());
  await sleep(3100);
  const tok = await token(op.issuer, { code: flow.params.code, code_verifier: flow.verifier });
  assert.equal(tok.status, 400);
  assert.equal(tok.json.error, 'invalid_grant');
  t.diagnostic(`expired: ${JSON.stringify(tok.json)}`);
});

for (const mode of ['1', 'other-kid']) {
  test(`OIDC_ROGUE_JWKS=${mode}: published key does not verify the ID token`, async (t) => {
    const op = await startProvider({ OIDC_ROGUE_JWKS: mode });
    t.after(op.stop);
    const flow = await authorize(op.issuer, new Jar());
    const tok = await token(op.issuer, { code: flow.params.code, code_verifier: flow.verifier });
    assert.equal(tok.status, 200);
    const { header, payload } = decodeJwt(tok.json.id_token);
    assert.equal(payload.email, 'alice@example.com');
    const v = await verifyWithJwks(op.issuer, tok.json.id_token);
    assert.equal(v.ok, false);
    assert.equal(v.reason, mode === '1' ? 'signature mismatch' : 'kid not in jwks');
    assert.equal(v.jwks.keys.length, 1);
    assert.equal(v.jwks.keys[0].d, undefined, 'no private parts published');
    t.diagnostic(`id_token kid ${header.kid}, jwks kids ${v.jwks.keys.map((k) => k.kid).join(',')}`);
  });
}

test('SIGTERM exits cleanly and stdout has only the READY line', async () => {
  const child = spawn(process.execPath, [path.join(here, 'provider.js')], {
    env: {
      ...process.env, OIDC_PORT: '0', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's', OIDC_REDIRECT_URIS: REDIRECT_URI, OIDC_USERS: '[]',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  while (!out.includes('\n')) await sleep(20);
  const issuer = out.trim().split(' ')[1];
  await request(null, `${issuer}/.well-known/openid-configuration`);
  await request(null, authUrl(issuer, { state: 's', nonce: 'n', challenge: pkce().challenge }));
  const code = await new Promise((resolve) => { child.on('exit', (c) => resolve(c)); child.kill('SIGTERM'); });
  assert.equal(code, 0);
  assert.match(out, /^OIDC_READY http:\/\/127\.0\.0\.1:\d+\n$/);
});
