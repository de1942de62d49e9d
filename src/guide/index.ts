/**
 * The guide model (docs/UI.md "Guide model"): the article's five steps over a report, in plain
 * words, for people who are not developers. Platform-neutral: the web page and `why401 guide`
 * both use exactly this.
 */
export type { Advice, Answer, DeviceFacts, GuideCheck, GuideQuestion, GuideStep, StepNo } from './types.js';
export { guideSteps } from './guide.js';
export { QUESTIONS, stillOpen } from './steps.js';
export { adviceFor } from './advice.js';
export { accountFromAuthorization } from './account.js';
export { clockSkewSeconds } from './clock.js';
export { supportBlock } from './support.js';
