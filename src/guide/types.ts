/** The guide model's data (docs/UI.md "Guide model"): plain serializable values, shared by the page and the terminal. */

/** One of the article's five steps. */
export type StepNo = 1 | 2 | 3 | 4 | 5;

/** What the person says about something only they can try. */
export type Answer = 'yes' | 'no' | 'not-tried';

/** Something why401 checked by itself, in plain words, with its result. */
export interface GuideCheck {
  /** Plain words: "The server answered 401 and asked for a Bearer token". */
  text: string;
  result: 'pass' | 'fail' | 'info' | 'skipped';
  /** The finding behind it, when there is one. */
  causeId?: string;
}

/** A question only the person can answer (yes / no / not tried). */
export interface GuideQuestion {
  /** Stable, e.g. 'private-window'. */
  id: string;
  step: StepNo;
  /** "Does the page work in a private (incognito) window?" */
  text: string;
  /** How to do it, in plain words. */
  how?: string;
}

export interface GuideStep {
  step: StepNo;
  /** The article's heading, in plain words. */
  title: string;
  /** What why401 checked by itself. */
  checks: GuideCheck[];
  /** What only the person can do. */
  todo: string[];
  questions: GuideQuestion[];
}

/** What the page (or the terminal) can measure about the device itself. */
export interface DeviceFacts {
  /** Device clock minus the server's Date, in seconds. */
  clockSkewSeconds?: number;
  cookiesEnabled?: boolean;
  /** Which account the credentials name (never a secret). */
  account?: string;
}

export interface Advice {
  text: string;
  pointsAt: 'cookies-or-cache' | 'network' | 'browser' | 'account' | 'clock' | 'credentials' | 'server';
  /**
   * What led to it: a question id ('private-window'), a device fact ('clock-skew', 'cookies-enabled'),
   * the report's first cause id ('token.expired'), 'outcome.ok', or 'nothing-helped' (the fallback).
   */
  from: string;
}
