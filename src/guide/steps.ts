import type { Answer, GuideQuestion, StepNo } from './types.js';

/**
 * The article's five steps (shared/seed/fix-401-article.txt), in words for someone who has never
 * heard of a bearer token: the heading, what only the person can do, and what to ask them.
 */
export interface StepText {
  step: StepNo;
  title: string;
  todo: string[];
}

export const STEP_NUMBERS: readonly StepNo[] = [1, 2, 3, 4, 5];

export const STEP_TEXT: Record<StepNo, StepText> = {
  1: {
    step: 1,
    title: 'Check the address and that you are signed in',
    todo: [
      'Type the address by hand instead of using a bookmark or a link; watch for extra slashes, a wrong name before the first dot, or a "test" or "staging" copy of the site.',
      'Open the address in a private (incognito) window, so no old sign-in gets in the way.',
      'If the site asks you to sign in, sign in again, then reload the page.',
    ],
  },
  2: {
    step: 2,
    title: 'Sign in again to start a fresh session',
    todo: [
      'Sign out, close the tab, then open the site and sign in again.',
      "Clear this site's cookies (and any password your browser saved for it), then sign in again.",
      'If you use an authenticator app for codes, check that the code is the current one and that your phone sets its time automatically.',
      'If you sign in with Google, Microsoft, Okta or another company account (single sign-on), sign out of that account too, then sign in again.',
    ],
  },
  3: {
    step: 3,
    title: 'Check the user name, password or key being used',
    todo: [
      "Try your user name and password on the site's own sign-in page; if they fail there too, reset your password.",
      'If you were given a key (an "API key") to paste somewhere, check you copied all of it and that it has not been withdrawn.',
      'Check that you are signed in with the account you meant to use (your work account rather than a personal one, for example).',
    ],
  },
  4: {
    step: 4,
    title: "Check the site's own settings (for the people who run it)",
    todo: [
      'Ask a colleague with their own account whether the same page works for them.',
      'If you do not run the site, send its support team the block at the end: it tells them exactly where to look in their logs.',
    ],
  },
  5: {
    step: 5,
    title: 'Rule out the network, the browser and this device',
    todo: [
      'Turn off a VPN, a proxy or browser extensions (ad blockers, privacy tools), then try again.',
      'Try another browser, or another device such as your phone.',
      'Try on mobile data instead of the office or home Wi-Fi.',
      "Clear your browser's cache.",
    ],
  },
};

/** The questions, by step. Ids are stable: the page and the terminal store answers under them. */
export const QUESTIONS: readonly GuideQuestion[] = [
  {
    id: 'private-window',
    step: 1,
    text: 'Does the page work in a private (incognito) window?',
    how: 'Chrome or Edge: Ctrl+Shift+N (on a Mac: Cmd+Shift+N). Firefox: Ctrl+Shift+P. Safari: Cmd+Shift+N. Open the address there and sign in.',
  },
  {
    id: 'signed-in-again',
    step: 2,
    text: 'Does it work after you sign out and sign in again?',
    how: 'Use the "Sign out" or "Log out" link of the site, close the tab, open the site again and sign in.',
  },
  {
    id: 'cleared-cookies',
    step: 2,
    text: "Does it work after you clear this site's cookies?",
    how: 'In the browser\'s settings, under Privacy, find "Cookies and site data", remove the entries for this site, then sign in again.',
  },
  {
    id: 'sso-signout',
    step: 2,
    text: 'If you sign in with a Google, Microsoft, Okta or company account: does it work after signing out of that account and back in?',
    how: 'Open that account page (for example myaccount.google.com or myaccount.microsoft.com), sign out, then sign in to the site again.',
  },
  {
    id: 'authenticator-time',
    step: 2,
    text: 'If you use an authenticator app for codes: does a fresh code work once your phone sets its time automatically?',
    how: 'On the phone: Settings, Date and time, turn on "Set automatically"; then wait for a new code and use it.',
  },
  {
    id: 'password-on-site',
    step: 3,
    text: "Do your user name and password work on the site's own sign-in page?",
    how: "Open the site's sign-in page in a private window and sign in there by hand.",
  },
  {
    id: 'colleague',
    step: 4,
    text: 'Does the same page work for a colleague with their own account?',
  },
  {
    id: 'vpn-off',
    step: 5,
    text: 'Does it work with your VPN, proxy or browser extensions turned off?',
    how: "Disconnect the VPN app, and turn extensions off in the browser's Extensions page; then reload.",
  },
  {
    id: 'mobile-data',
    step: 5,
    text: 'Does it work on mobile data instead of Wi-Fi?',
    how: "Turn off Wi-Fi on your phone and open the address there, or share the phone's connection with this computer.",
  },
  {
    id: 'other-browser',
    step: 5,
    text: 'Does it work in another browser (for example Firefox instead of Chrome)?',
  },
  {
    id: 'other-device',
    step: 5,
    text: 'Does it work on another device (your phone, or another computer)?',
  },
];

/**
 * Whether a question is still worth asking: not once an earlier question of its step was answered
 * yes. Every question asks "does it work when you …?", so a yes names what fixed it, and the
 * step is settled ("it works after signing in again" ends the session questions).
 */
export function stillOpen(q: GuideQuestion, answers: Readonly<Record<string, Answer>>): boolean {
  for (const other of QUESTIONS) {
    if (other.id === q.id) return true;
    if (other.step === q.step && answers[other.id] === 'yes') return false;
  }
  return true;
}
