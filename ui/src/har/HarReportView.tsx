import { useId } from 'preact/hooks';
import type { HarReport, SessionFinding } from '../../../src/model/har-report.js';
import { renderHarMarkdown } from '../../../src/render/har-markdown.js';
import { entryStatus, pathOnly } from '../../../src/render/har-parts.js';
import { renderHarHtml } from '../../../src/render/html.js';
import { FindingCard } from '../report/FindingCard.js';
import { NotesSection } from '../report/NotesSection.js';
import { ReportActions } from '../report/ReportActions.js';
import type { HarAnalysis } from './har-messages.js';
import { HarTimeline } from './HarTimeline.js';
import { ProgressBar, type Progress } from './ProgressBar.js';

/**
 * A capture diagnosed: what only the whole session shows on top, then the timeline of every
 * request, then each failed request's own diagnosis.
 */

function CitedEntries(props: { f: SessionFinding; report: HarReport }) {
  if (!props.f.entries.length) return null;
  const known = new Map(props.report.entries.map((x) => [x.index, x]));
  return (
    <div class="cited">
      <p class="sub">Entries:</p>
      <ul class="plain">
        {props.f.entries.map((i) => {
          const x = known.get(i);
          return (
            <li key={i}>
              #{i}
              {x ? (
                <>
                  {' '}
                  <span class="mono wrap-any">
                    {x.method} {pathOnly(x.url)}
                  </span>{' '}
                  → {entryStatus(x)}
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function SessionFindings(props: { report: HarReport; id: string }) {
  const { report: r, id } = props;
  const causes = r.findings.filter((f) => f.kind === 'cause');
  const warnings = r.findings.filter((f) => f.kind === 'warning');
  const infos = r.findings.filter((f) => f.kind === 'info');
  const failed = r.entries.filter((x) => x.failed).length;
  return (
    <>
      <section class="block" aria-labelledby={`${id}-session`}>
        <h3 id={`${id}-session`}>Session diagnosis</h3>
        {causes.length ? (
          causes.map((f, i) => (
            <FindingCard key={f.id} f={f} level={4} main={i === 0}>
              <CitedEntries f={f} report={r} />
            </FindingCard>
          ))
        ) : failed ? (
          <p>No session-level cause found; see the failed requests below.</p>
        ) : (
          <p>
            <span class="pill ok">
              <span aria-hidden="true">✔</span> OK
            </span>{' '}
            No request failed on authentication in this capture.
          </p>
        )}
      </section>
      {warnings.length || infos.length ? (
        <section class="block" aria-labelledby={`${id}-context`}>
          <h3 id={`${id}-context`}>Warnings and context</h3>
          {[...warnings, ...infos].map((f) => (
            <FindingCard key={f.id} f={f} level={4}>
              <CitedEntries f={f} report={r} />
            </FindingCard>
          ))}
        </section>
      ) : null}
    </>
  );
}

function FailedEntries(props: { report: HarReport; id: string }) {
  const list = props.report.entries.filter((x) => x.failed);
  if (!list.length) return null;
  return (
    <section class="block" aria-labelledby={`${props.id}-failed`}>
      <h3 id={`${props.id}-failed`}>Each failed request</h3>
      {list.map((x, i) => {
        const first = x.findings.find((f) => f.kind === 'cause');
        return (
          <details key={x.index} class="entry" open={i === 0}>
            <summary>
              <span class="mark failed">
                <span aria-hidden="true">✖</span> #{x.index}
              </span>{' '}
              <span class="mono wrap-any">
                {x.method} {pathOnly(x.url)}
              </span>{' '}
              → {entryStatus(x)}
              {first ? (
                <>
                  : {first.title} <code class="cause-id">{first.id}</code>
                </>
              ) : (
                `: no cause found (${x.outcome})`
              )}
            </summary>
            {x.findings.map((f) => (
              <FindingCard key={f.id} f={f} level={4} />
            ))}
            {x.requestIds && Object.keys(x.requestIds).length ? (
              <p>
                Request ids:{' '}
                {Object.entries(x.requestIds).map(([k, v], j) => (
                  <span key={k}>
                    {j ? ', ' : ''}
                    {k}: <code>{v}</code>
                  </span>
                ))}
              </p>
            ) : null}
          </details>
        );
      })}
    </section>
  );
}

export function HarReportView(props: {
  analysis: HarAnalysis;
  sanitize: { run(): void; progress: Progress | undefined; note: string };
}) {
  const sz = props.sanitize;
  const id = useId();
  const { report: r, timeline } = props.analysis;
  const failed = r.entries.filter((x) => x.failed).length;
  const by = [...new Set([r.source.browser?.name, r.source.creator?.name].filter((x): x is string => !!x))];
  return (
    <section class="report" aria-labelledby={`${id}-title`}>
      <header class="report-head">
        <h2 id={`${id}-title`} class="wrap-any">
          {r.source.file ?? 'HAR file'}
        </h2>
        <p class="outcome">
          <span>{r.source.entries} requests</span>
          {failed ? (
            <span class="pill cause">
              <span aria-hidden="true">✖</span> {failed} failed
            </span>
          ) : (
            <span class="pill ok">
              <span aria-hidden="true">✔</span> none failed
            </span>
          )}
          {by.length ? <span>captured by {by.join(', ')}</span> : null}
        </p>
        <ReportActions
          markdown={() => renderHarMarkdown(r)}
          html={() => renderHarHtml(r)}
          htmlName="why401-har-report.html"
        >
          <button type="button" onClick={sz.run} disabled={sz.progress !== undefined}>
            Download sanitized copy
          </button>
        </ReportActions>
        {sz.progress ? <ProgressBar p={sz.progress} /> : null}
        <p class="note" role="status">
          {sz.note}
        </p>
      </header>
      {r.source.sanitizedByBrowser ? (
        <p class="banner warning">
          <span aria-hidden="true">⚠</span> Sanitized by the browser: this file holds no Authorization, Cookie
          or Set-Cookie, so it cannot show which credentials each request carried.
        </p>
      ) : null}
      <SessionFindings report={r} id={id} />
      <section class="block" aria-labelledby={`${id}-timeline`}>
        <h3 id={`${id}-timeline`}>Timeline</h3>
        <HarTimeline rows={timeline} report={r} />
      </section>
      <FailedEntries report={r} id={id} />
      <NotesSection id={id} title="Notes on the file" notes={r.warnings} />
    </section>
  );
}
