import type { EvidenceItem } from '../model/finding.js';
import { defineCheck } from './check.js';
import { tokenClaim } from './cite.js';
import { decodedJwt, durationWords, isoFromSeconds, numericClaim, stringClaim } from './credential-util.js';
import { scopesOf } from '../parse/jwt.js';

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  return JSON.stringify(v);
}

/**
 * Who the credentials say the caller is (RFC 9068 §2.2: sub, client_id, iss, aud, scope; Entra
 * writes the client as `azp`/`appid` and scopes as `scp`). Decoded claims only, never a secret:
 * for Basic the user name, never the password.
 */
export default defineCheck(
  {
    id: 'info.identity',
    plain: 'Who the sign-in details say you are',
    step: 0,
    kind: 'info',
    title: 'Who the credentials say the caller is',
    fix: 'Nothing to change here; check that this is the account, client and issuer you meant to use.',
    ref: 'RFC 9068 §2.2; RFC 7519 §4.1; RFC 7617 §2',
  },
  (f) => {
    const jwt = decodedJwt(f);
    if (jwt) {
      const p = jwt.payload;
      const lines: string[] = [];
      const evidence: EvidenceItem[] = [];
      const add = (label: string, claim: string, v: unknown): void => {
        lines.push(`${label}: ${show(v)}`);
        evidence.push(tokenClaim(claim, v));
      };
      const sub = stringClaim(p, 'sub');
      const clientClaim = ['client_id', 'azp', 'appid'].find((c) => stringClaim(p, c) !== undefined);
      const client = clientClaim !== undefined ? stringClaim(p, clientClaim) : undefined;
      const iss = stringClaim(p, 'iss');
      if (sub !== undefined) add('subject (sub)', 'sub', sub);
      if (clientClaim !== undefined && client !== undefined)
        add(`client (${clientClaim})`, clientClaim, client);
      if (iss !== undefined) add('issuer (iss)', 'iss', iss);
      if (p['aud'] !== undefined) add('audience (aud)', 'aud', p['aud']);
      const { scopes, roles } = scopesOf(p);
      if (scopes.length > 0) {
        lines.push(`scopes: ${scopes.join(' ')}`);
        evidence.push(tokenClaim(Object.hasOwn(p, 'scope') ? 'scope' : 'scp', p['scope'] ?? p['scp']));
      }
      if (roles.length > 0) add('roles', 'roles', roles);
      const exp = numericClaim(p, 'exp');
      if (exp !== undefined) {
        const left = exp * 1000 - f.serverNow;
        const words = left > 0 ? `in ${durationWords(left)}` : `${durationWords(-left)} ago`;
        lines.push(`expires: ${isoFromSeconds(exp)} (${words})`);
        evidence.push(tokenClaim('exp', isoFromSeconds(exp)));
      }
      if (lines.length === 0) return;
      const who =
        sub !== undefined ? `subject ${sub}` : client !== undefined ? `client ${client}` : undefined;
      const title =
        who !== undefined
          ? `The token is for ${who}${sub !== undefined && client !== undefined ? ` via client ${client}` : ''}${iss !== undefined ? `, issued by ${iss}` : ''}`
          : `The token was issued by ${iss ?? 'an unnamed issuer'}`;
      return { confidence: 'confirmed', title, detail: lines.join('\n'), evidence };
    }
    const b = f.basic;
    if (b?.ok) {
      return {
        confidence: 'confirmed',
        title: `The Basic credentials are for user ${b.user === '' ? '(empty user name)' : `"${b.user}"`}`,
        detail: `user: ${b.user}\npassword: ${b.password === '' ? 'empty' : `${Array.from(b.password).length} characters (not shown)`}`,
        evidence: [{ probe: 'input', where: 'basic.user', value: b.user }],
      };
    }
    return undefined;
  },
);
