import type { ProbeRecord, Report } from '../../../src/model/report.js';

/** The requests why401 sent (the probes), what each got back, and the exchanges as the report has them. */

function probeName(p: ProbeRecord): string {
  return p.hop ? `${p.name}#${p.hop}` : p.name;
}

function headerLines(rec: Record<string, string | string[]>): string {
  return Object.entries(rec)
    .flatMap(([k, v]) => [v].flat().map((one) => `${k}: ${one}`))
    .join('\n');
}

export function ProbesTable(props: { report: Report }) {
  const r = props.report;
  const notes = r.probes.some((p) => p.droppedHeaders?.length);
  return (
    <>
      {r.probes.length ? (
        <div class="scroll">
          <table class="probes">
            <caption>Requests sent</caption>
            <thead>
              <tr>
                <th scope="col">Probe</th>
                <th scope="col">Method</th>
                <th scope="col">URL</th>
                <th scope="col">Result</th>
                <th scope="col">Time</th>
                {notes ? <th scope="col">Notes</th> : null}
              </tr>
            </thead>
            <tbody>
              {r.probes.map((p, i) => (
                <tr key={i}>
                  <td class="mono nw">{probeName(p)}</td>
                  <td class="mono">{p.method}</td>
                  <td class="mono wrap-any">{p.url}</td>
                  <td>{p.error ? `no answer: ${p.error}` : String(p.status)}</td>
                  <td class="nw">{p.ms} ms</td>
                  {notes ? (
                    <td>{p.droppedHeaders?.length ? `dropped ${p.droppedHeaders.join(', ')}` : ''}</td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No request was sent.</p>
      )}
      {r.skippedProbes.length ? (
        <>
          <p class="sub">Not sent:</p>
          <ul class="plain">
            {r.skippedProbes.map((s, i) => (
              <li key={i}>
                <code>{s.probe}</code>: {s.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {r.probes.length ? (
        <details>
          <summary>Exchanges (headers as in the report)</summary>
          {r.probes.map((p, i) => (
            <pre key={i}>
              {`# ${probeName(p)}\n${p.method} ${p.url}\n${headerLines(p.requestHeaders)}\n\n${
                p.error ? `(no response: ${p.error})` : `HTTP ${p.status}`
              }\n${headerLines(p.responseHeaders)}`}
            </pre>
          ))}
        </details>
      ) : null}
    </>
  );
}
