import { useMemo, useState } from 'preact/hooks';
import { adviceFor, guideSteps, supportBlock, type Answer } from '../../../src/guide/index.js';
import { diagnoseRequest } from '../api.js';
import { FormStatus } from '../FormStatus.js';
import { ReportView, statusWords } from '../report/ReportView.js';
import { useReportRequest } from '../use-report-request.js';
import { measureDevice } from './device-facts.js';
import { DeviceFactsView } from './DeviceFactsView.js';
import { GuideStepCard } from './GuideStepCard.js';
import { SupportBlockView } from './SupportBlockView.js';

/**
 * The start page: the five steps of "why am I refused?" for someone who has never heard of a
 * bearer token. why401 checks the address by itself; the person answers what only they can try;
 * the advice follows the answers; the support block sums it all up for a help desk.
 */
export function GuideTab() {
  const [url, setUrl] = useState('');
  const [headers, setHeaders] = useState('');
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  /** The header lines the report was made with (the account is read from those). */
  const [usedHeaders, setUsedHeaders] = useState('');
  const { busy, error, report, run, setError } = useReportRequest();

  const device = useMemo(() => measureDevice(report, usedHeaders), [report, usedHeaders]);
  const steps = useMemo(() => guideSteps(report, device), [report, device]);
  const advice = useMemo(() => adviceFor(answers, report, device), [answers, report, device]);
  const block = useMemo(
    () => supportBlock(report, { now: Date.now(), answers, device, advice }),
    [report, answers, device, advice],
  );

  const submit = (e: Event) => {
    e.preventDefault();
    const u = url.trim();
    if (!u) {
      setError('Type or paste the address (URL) of the page that refuses you.');
      return;
    }
    const h = headers.trim();
    void run(() => diagnoseRequest({ input: h ? `${u}\n${h}` : u })).then((r) => {
      if (r) setUsedHeaders(h);
    });
  };
  const answer = (id: string, a: Answer) => setAnswers((prev) => ({ ...prev, [id]: a }));
  const first = report?.findings.find((f) => f.kind === 'cause');

  return (
    <div class="pane guide">
      <h2 class="pane-title">Refused by a site or an app? Five steps to find out why</h2>
      <p class="hint">
        “401” and “403” are the codes a site sends when it will not let you in: it does not know who you are,
        or it knows and says no. Give the address below and why401 checks what it can by itself; the steps
        then ask about what only you can try. At the end there is a summary to send to the site’s support
        team.
      </p>
      <form class="form" onSubmit={submit}>
        <label class="field">
          <span>Address (URL) that refuses you</span>
          <input
            type="text"
            inputMode="url"
            name="url"
            autocomplete="url"
            spellcheck={false}
            placeholder="https://example.com/account"
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </label>
        <details class="advanced">
          <summary>Sign-in details (optional, for developers and IT)</summary>
          <label class="field">
            <span>Header lines, one per line (for example Authorization: Bearer … or Cookie: …)</span>
            <textarea
              class="mono"
              name="headers"
              rows={3}
              spellcheck={false}
              autocomplete="off"
              value={headers}
              onInput={(e) => setHeaders(e.currentTarget.value)}
            />
          </label>
        </details>
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            Check this address
          </button>
        </div>
      </form>
      <FormStatus
        error={error}
        status={
          busy
            ? 'Sending the request and the probes…'
            : report
              ? `Checked: ${statusWords(report.status, report.outcome)}.${first ? ` ${first.title}` : ''} The steps below now show what was found.`
              : ''
        }
      />

      {report && !busy ? (
        <details class="advanced full-report">
          <summary>The full report (for developers and support)</summary>
          <ReportView report={report} />
        </details>
      ) : null}

      <section class="block" aria-labelledby="guide-device">
        <h3 id="guide-device">This device</h3>
        <DeviceFactsView d={device} />
      </section>

      <ol class="steps">
        {steps.map((s) => (
          <GuideStepCard
            key={s.step}
            s={s}
            tested={!!report}
            answers={answers}
            movedOn={steps.some(
              (l) => l.step > s.step && l.questions.some((q) => answers[q.id] !== undefined),
            )}
            onAnswer={answer}
          />
        ))}
      </ol>

      <section class="block" aria-labelledby="guide-advice">
        <h3 id="guide-advice">What to do next</h3>
        <div aria-live="polite">
          {advice.map((a, i) => (
            <p key={`${a.from}-${i}`} class="advice">
              {a.text}
            </p>
          ))}
        </div>
      </section>

      <section class="block" aria-labelledby="guide-support">
        <h3 id="guide-support">For the support team</h3>
        <p class="hint">
          Send this block to the site’s support team or your IT help desk. It holds no password or token.
        </p>
        <SupportBlockView text={block.text} markdown={block.markdown} />
      </section>
    </div>
  );
}
