import { useState } from 'preact/hooks';
import type { HarReport } from '../../../src/model/har-report.js';
import type { TimelineRow } from './har-messages.js';

/**
 * Every request of the capture in order: when, method, URL (no query), status. A failure is marked
 * by colour and by a mark and a word; the entries the session diagnosis cites are marked too.
 */

/** Beyond this many rows, the table starts with the failures and cited entries only. */
const MANY = 2000;

function clock(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(11, 23);
}

type Mark = 'failed' | 'cited' | 'none';

function StatusCell(props: { row: TimelineRow; mark: Mark }) {
  const { row, mark } = props;
  const status = row.status === null ? `no answer${row.error ? ` (${row.error})` : ''}` : String(row.status);
  if (mark === 'failed')
    return (
      <td class="status-cell">
        <span class="mark failed">
          <span aria-hidden="true">✖</span> {status} <span class="tag">failed</span>
        </span>
      </td>
    );
  if (mark === 'cited')
    return (
      <td class="status-cell">
        <span class="mark cited">
          <span aria-hidden="true">●</span> {status} <span class="tag">cited</span>
        </span>
      </td>
    );
  return <td class="status-cell">{status}</td>;
}

export function HarTimeline(props: { rows: TimelineRow[]; report: HarReport }) {
  const { rows, report } = props;
  const failed = new Set(report.entries.filter((e) => e.failed).map((e) => e.index));
  const cited = new Set(report.entries.filter((e) => !e.failed).map((e) => e.index));
  const markOf = (r: TimelineRow): Mark =>
    failed.has(r.index) || r.status === 401 || r.status === 403
      ? 'failed'
      : cited.has(r.index)
        ? 'cited'
        : 'none';
  const [onlyMarked, setOnlyMarked] = useState(rows.length > MANY);
  const shown = onlyMarked ? rows.filter((r) => markOf(r) !== 'none') : rows;
  return (
    <>
      <label class="check">
        <input
          type="checkbox"
          checked={onlyMarked}
          onChange={(e) => setOnlyMarked(e.currentTarget.checked)}
        />
        <span>Show only the failed entries and the ones the diagnosis cites</span>
      </label>
      <div class="scroll">
        <table class="timeline">
          <caption>
            {onlyMarked
              ? `${shown.length} of ${rows.length} requests (failed or cited)`
              : `All ${rows.length} requests, in the order they started`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Entry</th>
              <th scope="col">Started (UTC)</th>
              <th scope="col">Method</th>
              <th scope="col">URL</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => {
              const mark = markOf(r);
              return (
                <tr key={r.index} class={mark === 'none' ? '' : `row-${mark}`}>
                  <td class="nw">#{r.index}</td>
                  <td class="mono nw" title={r.startedDateTime}>
                    {clock(r.startedDateTime)}
                  </td>
                  <td class="mono">{r.method}</td>
                  <td class="mono wrap-any">{r.path}</td>
                  <StatusCell row={r} mark={mark} />
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
