import { headerValue } from '../model/http.js';
import { defineCheck } from './check.js';
import { responseBody, responseHeader, responseStatus } from './cite.js';
import { isSignInPage, loginTarget } from '../knowledge/sign-in.js';
import { clip, mediaType } from './response-util.js';

/**
 * A 200 that is a sign-in page, not the resource asked for: a disguised 401. Single-page apps,
 * SSO gateways and many web frameworks serve their login form in place of the page (or API)
 * the session no longer covers.
 */

const TITLE = /<title[^>]*>([\s\S]{0,200}?)<\/title>/i;
const SIGN_IN_WORDS =
  /\b(?:sign[\s-]?in|log[\s-]?in|login|log[\s-]?on|logon|sign[\s-]?on|authenticate|authentication required)\b/i;
const PASSWORD_INPUT = /<input\b[^>]*\btype\s*=\s*["']?password\b[^>]*>/gi;
const FORM_ACTION = /<form\b[^>]*\baction\s*=\s*["']([^"']*)["'][^>]*>/gi;

function isHtml(contentType: string | undefined, body: string): boolean {
  if (contentType) return contentType === 'text/html' || contentType === 'application/xhtml+xml';
  return /^\s*(?:<!doctype html|<html\b)/i.test(body);
}

function loginAction(body: string, base: string): string | undefined {
  for (const m of body.matchAll(FORM_ACTION)) {
    const action = m[1] ?? '';
    try {
      if (loginTarget(new URL(action, base))) return action;
    } catch {
      // an action that is not a URL names no route
    }
  }
  return undefined;
}

export default defineCheck(
  {
    id: 'login.page',
    plain: 'The site showed its sign-in page instead of what you asked for: you are not signed in',
    directness: 2,
    step: 1,
    kind: 'cause',
    title: 'The server answered 200 with a sign-in page instead of the resource',
    fix: 'Sign in again (the session expired or was never there) and send the fresh session cookie; for scripts and API clients, call the API endpoint with a token instead of the web page.',
    ref: 'RFC 9110 §15.5.2 (a refusal should be a 401 with a challenge)',
  },
  (f) => {
    const x = f.final;
    const r = f.response;
    if (!x || !r || r.status < 200 || r.status > 299) return;
    const type = mediaType(r.headers);
    if (!isHtml(type, r.body)) return;
    // Asking for the sign-in page itself is not a refusal.
    try {
      if (isSignInPage(new URL(f.ev.request.url)) || isSignInPage(new URL(x.request.url))) return;
    } catch {
      return;
    }

    const title = TITLE.exec(r.body)?.[1]?.replace(/\s+/g, ' ').trim();
    const titleSaysSignIn = title !== undefined && SIGN_IN_WORDS.test(title);
    // One password field is a sign-in form; two or more, or a `new-password` one, is a change-password or sign-up form.
    const passwords = [...r.body.matchAll(PASSWORD_INPUT)].map((m) => m[0]);
    const password =
      passwords.length === 1 && !/new-password/i.test(passwords[0]!) ? passwords[0] : undefined;
    const action = loginAction(r.body, x.request.url);
    // A password field is a sign-in form; a title alone could be an article about signing in.
    if (!password && !(titleSaysSignIn && action)) return;

    const signals: string[] = [];
    if (password) signals.push('a password field');
    if (titleSaysSignIn) signals.push(`the title "${clip(title, 80)}"`);
    if (action) signals.push(`a form posting to ${clip(action.split('?')[0] ?? action, 80)}`);
    const evidence = [responseStatus(x)];
    const ct = headerValue(r.headers, 'content-type');
    if (ct) evidence.push(responseHeader(x, 'content-type', ct));
    if (title) evidence.push(responseBody(x, `<title>${clip(title, 120)}</title>`));
    if (password) evidence.push(responseBody(x, clip(password, 160)));
    return {
      confidence: 'likely',
      title: titleSaysSignIn
        ? `The server answered 200 with a sign-in page ("${clip(title, 60)}") instead of the resource`
        : undefined,
      detail: `The ${r.status} response is an HTML page with ${signals.join(', ')}: the server wants you to sign in and shows its form instead of answering 401.`,
      evidence,
    };
  },
);
