import type { EvidenceItem } from '../model/finding.js';
import type { Draft } from './check.js';
import { defineCheck } from './check.js';
import { requestUrl, tokenClaim } from './cite.js';
import { decodedJwt, stringClaim } from './credential-util.js';
import { audiencesOf, quoteList } from './idp-util.js';

/**
 * A token from one environment sent to another: the issuer or audience names staging, dev, test…
 * while the API host names another environment or none (a production host). Compared on whole
 * host labels and path segments, never substrings ("latest" is not "test"). A host with no name
 * to read (an IP address, localhost, a single-label container name) says nothing about its
 * environment, so it never yields a finding.
 */

const WORDS: Record<string, string> = {
  staging: 'staging',
  stage: 'staging',
  stg: 'staging',
  dev: 'dev',
  devel: 'dev',
  develop: 'dev',
  development: 'dev',
  test: 'test',
  testing: 'test',
  tst: 'test',
  qa: 'qa',
  uat: 'uat',
  sandbox: 'sandbox',
  sbx: 'sandbox',
  preprod: 'preprod',
  pprod: 'preprod',
  int: 'int',
  integration: 'int',
  local: 'local',
  localhost: 'local',
  prod: 'prod',
  production: 'prod',
  prd: 'prod',
  live: 'prod',
};

/** Identity vendors whose default tenant names start with dev-/trial- (Auth0 `dev-abc123`, Okta `dev-12345678`). */
const VENDOR = /(?:^|\.)(?:auth0\.com|okta\.com|oktapreview\.com|okta-emea\.com)$/i;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function isIp(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.includes(':') || host.startsWith('[');
}

/** Environment words among the pieces of a host or path, canonical and unique. */
function envWords(pieces: string[]): string[] {
  const out = new Set<string>();
  const parts = pieces.flatMap((p) => p.toLowerCase().split(/[.\-_/:]+/)).filter((p) => p !== '');
  parts.forEach((p, i) => {
    const w = p.replace(/\d+$/, '');
    if (w === 'pre' && parts[i + 1]?.replace(/\d+$/, '') === 'prod') out.add('preprod');
    else if (w === 'prod' && parts[i - 1]?.replace(/\d+$/, '') === 'pre') return;
    else if (WORDS[w] !== undefined) out.add(WORDS[w]!);
  });
  return [...out];
}

/** The pieces of a host that name things: without a `.localhost` suffix and a vendor's generated tenant label. */
function hostPieces(host: string): string[] {
  let labels = host
    .toLowerCase()
    .replace(/\.localhost$/, '')
    .split('.');
  if (VENDOR.test(host) && /^(?:dev|trial|test)-[a-z0-9]+$/.test(labels[0] ?? '')) labels = labels.slice(1);
  return labels;
}

interface Side {
  claim: 'iss' | 'aud';
  value: string;
  env: string[];
}

function tokenSide(claim: 'iss' | 'aud', value: string): Side {
  let u: URL | undefined;
  try {
    u = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? new URL(value) : undefined;
  } catch {
    u = undefined;
  }
  if (!u) return { claim, value, env: envWords([value]) };
  const host = u.hostname.toLowerCase();
  if (isLoopback(host)) return { claim, value, env: ['local'] };
  const pieces = hostPieces(host);
  // The issuer's path names a realm or tenant (Keycloak /realms/dev); an audience's path seldom names an environment.
  if (claim === 'iss') pieces.push(...u.pathname.split('/'));
  return { claim, value, env: envWords(pieces) };
}

export default defineCheck(
  {
    id: 'url.environment-mismatch',
    plain:
      'Your sign-in belongs to a different copy of the site (for example a test or staging copy) than the address',
    directness: 2,
    absorbs: ['credentials.rejected', 'jwt.issuer-mismatch', 'jwt.audience-mismatch'],
    confirmedBy: ['jwt.audience-mismatch', 'jwt.issuer-mismatch', 'jwt.kid-unknown'],
    step: 1,
    kind: 'cause',
    title: 'The token belongs to another environment than the API host',
    fix: 'Get the token from the issuer of the environment you are calling, with that environment’s client id and audience, or send the request to the API of the environment the token is for; keep each environment’s settings apart.',
    ref: 'RFC 9068 §4 (iss, aud); RFC 8725 §3.8, §3.9',
  },
  (f): Draft | undefined => {
    const jwt = decodedJwt(f);
    if (!jwt) return;
    let reqHost: string;
    try {
      reqHost = new URL(f.ev.request.url).hostname.toLowerCase();
    } catch {
      return;
    }
    // No name to read: the host's environment is unknown.
    if (isLoopback(reqHost) || isIp(reqHost)) return;
    const named = reqHost.replace(/\.localhost$/, '');
    if (!named.includes('.') && !reqHost.endsWith('.localhost')) return;
    const reqEnv = envWords(hostPieces(reqHost));

    const sides: Side[] = [];
    const iss = stringClaim(jwt.payload, 'iss');
    if (iss !== undefined) sides.push(tokenSide('iss', iss));
    for (const a of audiencesOf(jwt.payload) ?? []) sides.push(tokenSide('aud', a));
    // Under `*.localhost` names everything runs locally: a loopback issuer is the same place.
    if (reqHost.endsWith('.localhost')) for (const s of sides) s.env = s.env.filter((w) => w !== 'local');
    const tokEnv = [...new Set(sides.flatMap((s) => s.env))];
    if (tokEnv.length === 0 && reqEnv.length === 0) return;
    if (tokEnv.some((w) => reqEnv.includes(w))) return; // the same environment on both sides

    const loud = sides.filter((s) => s.env.length > 0);
    const evidence: EvidenceItem[] = loud.map((s) => tokenClaim(s.claim, s.value));
    evidence.push(
      f.first ? requestUrl(f.first) : { probe: 'input', where: 'request.url', value: f.ev.request.url },
    );
    const tokenWords = loud.map((s) => `${s.claim} ${s.value} (${s.env.join(', ')})`).join('; ');
    const envName = (ws: string[]) =>
      ws.includes('prod') && ws.length === 1 ? 'production' : ws.filter((w) => w !== 'prod').join('/');
    const fixFor = (tokenEnv: string, hostEnv: string) =>
      `Get a token from the ${hostEnv} issuer (with the ${hostEnv} client id and audience) to call ${reqHost}, or send this ${tokenEnv} token to the ${tokenEnv} API; keep each environment's issuer, client id and token in its own configuration.`;

    if (reqEnv.length === 0 || (reqEnv.length === 1 && reqEnv[0] === 'prod')) {
      // A production-looking host, a token that names another environment.
      const other = tokEnv.filter((w) => w !== 'prod');
      if (other.length === 0) return;
      return {
        confidence: 'likely',
        title: `The token is from the ${other.join('/')} environment, but ${reqHost} looks like production`,
        detail: `The token's ${tokenWords} names ${quoteList(other)}; the request goes to ${reqHost}, whose name carries no environment word${reqEnv.includes('prod') ? ' but production' : ''}. Tokens of one environment are refused by another (different issuer, keys or audience).`,
        fix: fixFor(other.join('/'), 'production'),
        evidence,
      };
    }
    if (tokEnv.length === 0) {
      // The host names an environment; the token names none. Shared identity providers are common,
      // so only an issuer in the same domain as the API counts, and only as a possibility.
      const parent = (h: string) => h.split('.').slice(-2).join('.');
      const issHost = iss !== undefined ? tokenHost(iss) : undefined;
      if (issHost === undefined || parent(issHost) !== parent(reqHost)) return;
      return {
        confidence: 'possible',
        title: `The request goes to the ${envName(reqEnv)} host ${reqHost}, but the token's issuer ${issHost} names no environment (production?)`,
        detail: `${reqHost} names ${quoteList(reqEnv)}; the token's iss ${iss} and aud name none, which in the same domain usually means the production issuer.`,
        fix: fixFor('production', envName(reqEnv)),
        evidence: [tokenClaim('iss', iss!), evidence.at(-1)!],
      };
    }
    return {
      confidence: 'likely',
      title: `The token is from the ${envName(tokEnv)} environment, but the request goes to the ${envName(reqEnv)} host ${reqHost}`,
      detail: `The token's ${tokenWords}; the request goes to ${reqHost}, which names ${quoteList(reqEnv)}. Tokens of one environment are refused by another (different issuer, keys or audience).`,
      fix: fixFor(envName(tokEnv), envName(reqEnv)),
      evidence,
    };
  },
);

function tokenHost(value: string): string | undefined {
  try {
    return new URL(value).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
