import { useId, useState } from 'preact/hooks';
import { diagnoseRequest, type DiagnoseBody } from '../api.js';
import { FormStatus } from '../FormStatus.js';
import { ReportView, reportSummary } from '../report/ReportView.js';
import { useReportRequest } from '../use-report-request.js';

/**
 * A pasted curl command, or a URL and `Name: value` header lines, sent to `POST /api/diagnose`:
 * the local server sends the request and the probes, the page shows the report.
 */

const PLACEHOLDER = `curl 'https://api.example.com/me' -H 'Authorization: Bearer eyJ…'

or

https://api.example.com/me
Authorization: Bearer eyJ…`;

export function RequestTab() {
  const id = useId();
  const [input, setInput] = useState('');
  const [issuer, setIssuer] = useState('');
  const [audience, setAudience] = useState('');
  const [scopes, setScopes] = useState('');
  const [allowReplay, setAllowReplay] = useState(false);
  const { busy, error, report, run, setError } = useReportRequest();

  const submit = (e: Event) => {
    e.preventDefault();
    if (!input.trim()) {
      setError('Paste a curl command, or a URL with header lines under it.');
      return;
    }
    const body: DiagnoseBody = { input };
    if (issuer.trim()) body.expectIssuer = issuer.trim();
    if (audience.trim()) body.expectAudience = audience.trim();
    const sc = scopes.split(/[\s,]+/).filter(Boolean);
    if (sc.length) body.expectScope = sc;
    if (allowReplay) body.allowReplay = true;
    void run(() => diagnoseRequest(body));
  };

  return (
    <div class="pane">
      <h2 class="pane-title">Diagnose one request</h2>
      <form class="form" onSubmit={submit} aria-describedby={`${id}-about`}>
        <p id={`${id}-about`} class="hint">
          Paste a request copied with “Copy as cURL” (browser developer tools, Postman), or write the URL on
          the first line and the headers under it, one <code>Name: value</code> per line. The why401 ui server
          on this computer sends it, plus a few probes around it (the same request without credentials, for
          one).
        </p>
        <label class="field">
          <span>Your request</span>
          <textarea
            class="mono"
            name="input"
            rows={8}
            spellcheck={false}
            autocomplete="off"
            placeholder={PLACEHOLDER}
            value={input}
            onInput={(e) => setInput(e.currentTarget.value)}
          />
        </label>
        <details class="advanced">
          <summary>Advanced: what the API expects</summary>
          <div class="grid">
            <label class="field">
              <span>Expected issuer (iss)</span>
              <input
                type="text"
                name="expectIssuer"
                placeholder="https://login.example.com/"
                value={issuer}
                onInput={(e) => setIssuer(e.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span>Expected audience (aud)</span>
              <input
                type="text"
                name="expectAudience"
                placeholder="https://api.example.com"
                value={audience}
                onInput={(e) => setAudience(e.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span>Scopes the API needs (separated by spaces)</span>
              <input
                type="text"
                name="expectScope"
                placeholder="orders:read profile"
                value={scopes}
                onInput={(e) => setScopes(e.currentTarget.value)}
              />
            </label>
          </div>
          <label class="check">
            <input
              type="checkbox"
              name="allowReplay"
              checked={allowReplay}
              onChange={(e) => setAllowReplay(e.currentTarget.checked)}
            />
            <span>Let the probes send an unsafe method (POST, PUT, PATCH, DELETE) again</span>
          </label>
        </details>
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy} aria-disabled={busy}>
            Diagnose
          </button>
        </div>
      </form>
      <FormStatus
        status={busy ? 'Sending the request and the probes…' : report ? reportSummary(report) : ''}
        error={error}
      />
      {report && !busy ? <ReportView report={report} /> : null}
    </div>
  );
}
