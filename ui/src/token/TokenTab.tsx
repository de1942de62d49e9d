import { useState } from 'preact/hooks';
import { inspectToken } from '../api.js';
import { FormStatus } from '../FormStatus.js';
import { ReportView, reportSummary } from '../report/ReportView.js';
import { useReportRequest } from '../use-report-request.js';
import { TokenClaims } from './TokenClaims.js';

/** A token alone: `POST /api/token` for the report (decoding, verification against its issuer), and the claims decoded here. */

export function tokenOf(text: string): string {
  return text
    .trim()
    .replace(/^bearer\s+/i, '')
    .trim();
}

export function TokenTab() {
  const [text, setText] = useState('');
  const [offline, setOffline] = useState(false);
  const [inspected, setInspected] = useState<{ token: string; at: number } | undefined>(undefined);
  const { busy, error, report, run, setError } = useReportRequest();

  const submit = (e: Event) => {
    e.preventDefault();
    const token = tokenOf(text);
    if (!token) {
      setError('Paste a token first.');
      return;
    }
    void run(() => inspectToken({ token, offline })).then((r) => {
      if (r) setInspected({ token, at: Date.now() });
    });
  };

  return (
    <div class="pane">
      <h2 class="pane-title">Inspect a token</h2>
      <form class="form" onSubmit={submit}>
        <p class="hint">
          An access token (often a long text starting with <code>eyJ</code>), with or without “Bearer ” in
          front. It is decoded in this browser; unless you tick “offline”, the why401 ui server also fetches
          the issuer’s published keys to check the token’s signature.
        </p>
        <label class="field">
          <span>Token</span>
          <textarea
            class="mono"
            name="token"
            rows={5}
            spellcheck={false}
            autocomplete="off"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="offline"
            checked={offline}
            onChange={(e) => setOffline(e.currentTarget.checked)}
          />
          <span>Offline: do not contact the issuer</span>
        </label>
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            Inspect token
          </button>
        </div>
      </form>
      <FormStatus
        status={busy ? 'Decoding the token and asking its issuer…' : report ? reportSummary(report) : ''}
        error={error}
      />
      {report && !busy ? (
        <>
          <ReportView report={report} />
          {inspected ? <TokenClaims token={inspected.token} now={inspected.at} /> : null}
        </>
      ) : null}
    </div>
  );
}
