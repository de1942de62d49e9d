import type { Report } from '../model/report.js';
import { checksFor } from './checks.js';
import { QUESTIONS, STEP_NUMBERS, STEP_TEXT } from './steps.js';
import type { DeviceFacts, GuideStep } from './types.js';

/**
 * The article's five steps for this report: what why401 checked by itself, what only the person
 * can do, and the questions to ask them. Without a report (nothing tested yet) the steps still
 * carry their to-do lists and questions, and the checks the device itself allows.
 */
export function guideSteps(report: Report | undefined, device: DeviceFacts = {}): GuideStep[] {
  return STEP_NUMBERS.map((step) => ({
    step,
    title: STEP_TEXT[step].title,
    checks: checksFor(step, report, device),
    todo: [...STEP_TEXT[step].todo],
    questions: QUESTIONS.filter((q) => q.step === step).map((q) => ({ ...q })),
  }));
}
