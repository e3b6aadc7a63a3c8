// An OpenID provider for eduplan's tests: `oidc-provider` (OpenID Certified) with the static
// clients and users of a JSON file, a fresh RSA signing key per run, and plain HTML login and
// consent forms (no JavaScript) that a test drives with an HTTP client.
//
//   node provider.mjs PORT CONFIG.json
//   CONFIG: {"clients": [oidc-provider client metadata], "users": {"login": {"password": "…", "claims": {…}}}}
//
// Prints "listening ISSUER" once it answers.  Development only: in-memory storage, http issuer.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const [port, configPath] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: config.clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: ['eduplan-tests-only'] },
  scopes: ['openid', 'offline_access', 'profile', 'email', 'eduplan'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
    eduplan: ['roles', 'org', 'unit'],
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  async findAccount(ctx, sub) {
    const user = config.users[sub];
    if (!user) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...user.claims }) };
  },
});

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function page(uid, prompt, error) {
  const fields = prompt === 'login'
    ? '<input name="login" autocomplete="username"><input name="password" type="password">'
    : '<p>eduplan asks to know who you are.</p>';
  const message = error ? `<p class="error">${escape(error)}</p>` : '';
  return `<!doctype html><title>${prompt}</title>${message}`
    + `<form method="post" action="/interaction/${escape(uid)}"><input type="hidden" name="prompt" value="${prompt}">`
    + `${fields}<button type="submit">Continue</button></form>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([^/]+)$/.exec(ctx.path);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params, session } = details;
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = page(details.uid, prompt.name, '');
    return undefined;
  }
  const form = await readForm(ctx.req);
  let result;
  if (prompt.name === 'login') {
    const user = config.users[form.login];
    if (!user || user.password !== form.password) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = page(details.uid, 'login', 'wrong user name or password');
      return undefined;
    }
    result = { login: { accountId: form.login } };
  } else {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  ctx.respond = false; // interactionFinished writes the 303 itself
  return provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
});

provider.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
