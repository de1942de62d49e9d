import { useId } from 'preact/hooks';
import type { Finding } from '../../../src/model/finding.js';
import type { Outcome, Report } from '../../../src/model/report.js';
import { statusWithText } from '../../../src/model/status-text.js';
import { renderHtml } from '../../../src/render/html.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { FindingCard } from './FindingCard.js';
import { NotesSection } from './NotesSection.js';
import { ProbesTable } from './ProbesTable.js';
import { ReportActions } from './ReportActions.js';

/**
 * One report of `POST /api/diagnose` or `POST /api/token`, as the server redacted it: the outcome
 * at a glance, the findings (causes first), then the probes, the notes and the support facts.
 */

const OUTCOME_WORDS: Record<Outcome, string> = {
  unauthorized: 'the server did not accept the credentials (or got none)',
  forbidden: 'the server knows who is asking but refuses',
  ok: 'the request succeeded',
  'login-required': 'the server sent a sign-in page instead of an answer',
  unreachable: 'no answer from the server',
  error: 'the request failed',
};

export function statusWords(status: number | null, outcome: Outcome): string {
  if (status === null) return outcome === 'unreachable' ? 'No answer' : outcome;
  return statusWithText(status);
}

function OutcomeLine(props: { r: Report }) {
  const { r } = props;
  const causes = r.findings.filter((f) => f.kind === 'cause').length;
  if (r.source === 'token')
    return (
      <p class="outcome">
        {causes ? (
          <span class="pill cause">
            <span aria-hidden="true">✖</span> {causes} problem{causes > 1 ? 's' : ''} with the token
          </span>
        ) : r.outcome === 'ok' ? (
          <span class="pill ok">
            <span aria-hidden="true">✔</span> no problem found with the token
          </span>
        ) : (
          <span class="pill warning">
            <span aria-hidden="true">?</span> not checked: the token cannot be checked offline
          </span>
        )}
      </p>
    );
  const ok = r.outcome === 'ok';
  return (
    <p class="outcome">
      <span class={`pill ${ok ? 'ok' : 'cause'}`}>
        <span aria-hidden="true">{ok ? '✔' : '✖'}</span> {statusWords(r.status, r.outcome)}
      </span>
      <span>{OUTCOME_WORDS[r.outcome]}</span>
    </p>
  );
}

function Findings(props: { r: Report; id: string }) {
  const { r, id } = props;
  const by = (k: Finding['kind']) => r.findings.filter((f) => f.kind === k);
  const causes = by('cause');
  const warnings = by('warning');
  const infos = by('info');
  return (
    <>
      <section class="block" aria-labelledby={`${id}-diagnosis`}>
        <h3 id={`${id}-diagnosis`}>Diagnosis</h3>
        {causes.length ? (
          causes.map((f, i) => <FindingCard key={f.id} f={f} level={4} main={i === 0} />)
        ) : (
          <p>
            <span class={`pill ${r.outcome === 'ok' ? 'ok' : 'warning'}`}>
              {r.outcome === 'ok' ? 'OK' : r.source === 'token' ? 'Not checked' : 'Unknown'}
            </span>{' '}
            {r.outcome === 'ok'
              ? r.source === 'token'
                ? 'Nothing wrong found with the token.'
                : 'No auth problem: the request succeeded.'
              : r.source === 'token'
                ? 'Not judged: the token is not a JWT, so it cannot be checked offline. Nothing was found wrong, and nothing was found fine; how to check it is under Context.'
                : `No auth cause found (outcome: ${r.outcome}).`}
          </p>
        )}
      </section>
      {warnings.length ? (
        <section class="block" aria-labelledby={`${id}-warnings`}>
          <h3 id={`${id}-warnings`}>Warnings</h3>
          {warnings.map((f) => (
            <FindingCard key={f.id} f={f} level={4} />
          ))}
        </section>
      ) : null}
      {infos.length ? (
        <section class="block" aria-labelledby={`${id}-context`}>
          <h3 id={`${id}-context`}>Context</h3>
          {infos.map((f) => (
            <FindingCard key={f.id} f={f} level={4} />
          ))}
        </section>
      ) : null}
    </>
  );
}

function SupportFacts(props: { r: Report }) {
  const s = props.r.support;
  const ids = Object.entries(s.requestIds);
  return (
    <dl class="support">
      <dt>Time</dt>
      <dd>{s.timestamp}</dd>
      <dt>Method</dt>
      <dd>
        <code>{s.method}</code>
      </dd>
      <dt>URL</dt>
      <dd>
        <code>{s.url}</code>
      </dd>
      <dt>Status</dt>
      <dd>{s.status === null ? props.r.outcome : String(s.status)}</dd>
      <dt>Request ids</dt>
      <dd>
        {ids.length
          ? ids.map(([k, v], i) => (
              <span key={k}>
                {i ? ', ' : ''}
                {k}: <code>{v}</code>
              </span>
            ))
          : 'none returned'}
      </dd>
    </dl>
  );
}

/** A one-line summary for the live region: what a screen reader announces when the report arrives. */
export function reportSummary(r: Report): string {
  const first = r.findings.find((f) => f.kind === 'cause');
  if (r.source === 'token')
    return first
      ? `Token inspected: ${first.title}`
      : r.outcome === 'ok'
        ? 'Token inspected: no problem found.'
        : 'Token inspected: it is not a JWT, so it cannot be checked offline.';
  const head = `${statusWords(r.status, r.outcome)}.`;
  return first ? `${head} Diagnosis: ${first.title}` : `${head} No auth cause found.`;
}

export function ReportView(props: { report: Report }) {
  const r = props.report;
  const id = useId();
  return (
    <section class="report" aria-labelledby={`${id}-title`}>
      <header class="report-head">
        <h2 id={`${id}-title`} class="wrap-any">
          {r.source === 'token' ? 'Token report' : `${r.target.method} ${r.target.url}`}
        </h2>
        <OutcomeLine r={r} />
        <ReportActions
          markdown={() => renderMarkdown(r)}
          html={() => renderHtml(r)}
          htmlName="why401-report.html"
        />
      </header>
      <Findings r={r} id={id} />
      {r.source !== 'token' || r.probes.length || r.skippedProbes.length ? (
        <section class="block" aria-labelledby={`${id}-probes`}>
          <h3 id={`${id}-probes`}>Probes</h3>
          <ProbesTable report={r} />
        </section>
      ) : null}
      <NotesSection id={id} title="Notes on the input and the run" notes={r.warnings} />
      {r.source !== 'token' ? (
        <section class="block" aria-labelledby={`${id}-support`}>
          <h3 id={`${id}-support`}>For a support ticket</h3>
          <SupportFacts r={r} />
        </section>
      ) : null}
    </section>
  );
}
