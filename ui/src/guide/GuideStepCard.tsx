import { useId } from 'preact/hooks';
import type { Answer, GuideCheck, GuideQuestion, GuideStep } from '../../../src/guide/index.js';
import { stillOpen } from '../../../src/guide/steps.js';

/** One of the five steps: what why401 checked (✓ ✗ • –, always with words), what only the person can do, the questions. */

const MARK: Record<GuideCheck['result'], { sign: string; word: string }> = {
  pass: { sign: '✓', word: 'fine' },
  fail: { sign: '✗', word: 'problem' },
  info: { sign: '•', word: 'note' },
  skipped: { sign: '–', word: 'not checked' },
};

const ANSWERS: Array<{ value: Answer; label: string }> = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
  { value: 'not-tried', label: 'Not tried' },
];

function CheckLine(props: { c: GuideCheck }) {
  const m = MARK[props.c.result];
  return (
    <li>
      <span class={`check-mark ${props.c.result}`}>
        <span aria-hidden="true">{m.sign}</span> {m.word}
      </span>
      <span>
        {props.c.text}
        {props.c.causeId ? (
          <>
            {' '}
            <code class="cause-id">{props.c.causeId}</code>
          </>
        ) : null}
      </span>
    </li>
  );
}

function QuestionRadios(props: {
  q: GuideQuestion;
  value: Answer | undefined;
  onAnswer(id: string, a: Answer): void;
}) {
  const id = useId();
  const { q } = props;
  return (
    <fieldset class="question" aria-describedby={q.how ? `${id}-how` : undefined}>
      <legend>{q.text}</legend>
      {q.how ? (
        <p id={`${id}-how`} class="hint">
          {q.how}
        </p>
      ) : null}
      <div class="answers">
        {ANSWERS.map((a) => (
          <label key={a.value}>
            <input
              type="radio"
              name={`${id}-${q.id}`}
              value={a.value}
              checked={props.value === a.value}
              onChange={() => props.onAnswer(q.id, a.value)}
            />
            {a.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * One step. Once its questions are answered (or a yes settled it) and the person has moved on to a
 * later step, it folds into one line, so the filled-in guide fits in about two screens; opening it
 * shows everything and lets an answer change. (It never folds under the person's pointer.)
 */
export function GuideStepCard(props: {
  s: GuideStep;
  tested: boolean;
  answers: Record<string, Answer>;
  /** A question of a later step has an answer: the person has moved on. */
  movedOn: boolean;
  onAnswer(id: string, a: Answer): void;
}) {
  const { s } = props;
  const open = s.questions.filter((q) => stillOpen(q, props.answers));
  const answered = props.movedOn && open.length > 0 && open.every((q) => props.answers[q.id] !== undefined);
  const problems = s.checks.filter((c) => c.result === 'fail').length;
  const body = (
    <>
      <p class="sub">What why401 checked</p>
      {s.checks.length ? (
        <ul class="checks">
          {s.checks.map((c, i) => (
            <CheckLine key={i} c={c} />
          ))}
        </ul>
      ) : (
        <p class="hint">
          {props.tested ? 'Nothing to check here from this computer.' : 'Check an address above first.'}
        </p>
      )}
      {s.todo.length ? (
        <>
          <p class="sub">What only you can do</p>
          <ul class="plain">
            {s.todo.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
          </ul>
        </>
      ) : null}
      {open.map((q) => (
        <QuestionRadios key={q.id} q={q} value={props.answers[q.id]} onAnswer={props.onAnswer} />
      ))}
    </>
  );
  const title = (
    <>
      Step {s.step}: {s.title}
    </>
  );
  if (!answered)
    return (
      <li class="step">
        <h3>{title}</h3>
        {body}
      </li>
    );
  return (
    <li class="step folded">
      <details>
        <summary>
          <h3>{title}</h3>
          <span class="hint">
            {' '}
            answered{problems ? `, ${problems} problem${problems > 1 ? 's' : ''} found` : ''} (open to change)
          </span>
        </summary>
        {body}
      </details>
    </li>
  );
}
