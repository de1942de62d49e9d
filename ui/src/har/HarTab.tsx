import { useEffect, useState } from 'preact/hooks';
import { FormStatus } from '../FormStatus.js';
import { saveBlob } from '../save.js';
import { analyzeInWorker, sanitizeInWorker } from './har-client.js';
import type { HarAnalysis } from './har-messages.js';
import { HarDropZone } from './HarDropZone.js';
import { HarReportView } from './HarReportView.js';
import { ProgressBar, type Progress } from './ProgressBar.js';

/**
 * A HAR file, analysed in this browser only (a Web Worker streams it through the scanner and runs
 * `analyzeHar`): nothing in this tab talks to any server.
 */

/** A file dropped beside the drop zone must not make the browser open it in place of this page. */
function useNoStrayDrops(): void {
  useEffect(() => {
    const stop = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);
}

export function HarTab() {
  useNoStrayDrops();
  const [reading, setReading] = useState<Progress | undefined>(undefined);
  const [analysis, setAnalysis] = useState<HarAnalysis | undefined>(undefined);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [sanitizing, setSanitizing] = useState<Progress | undefined>(undefined);
  const [sanitizeNote, setSanitizeNote] = useState('');

  const open = (file: File) => {
    setError('');
    setAnalysis(undefined);
    setSanitizeNote('');
    setStatus(`Reading ${file.name}…`);
    setReading({ what: `Reading ${file.name}`, done: 0, total: file.size });
    analyzeInWorker(file, (_phase, done, total) =>
      setReading({ what: `Reading ${file.name}`, done, total }),
    ).then(
      (a) => {
        setReading(undefined);
        setAnalysis(a);
        const failed = a.report.entries.filter((x) => x.failed).length;
        const cause = a.report.findings.find((f) => f.kind === 'cause');
        setStatus(
          `${file.name}: ${a.report.source.entries} requests, ${failed} failed.${cause ? ` Session diagnosis: ${cause.title}` : ''}`,
        );
      },
      (e: unknown) => {
        setReading(undefined);
        setStatus('');
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };

  const sanitize = () => {
    setSanitizeNote('');
    setSanitizing({ what: 'Sanitizing', done: 0, total: 1 });
    sanitizeInWorker((_phase, done, total) => setSanitizing({ what: 'Sanitizing', done, total })).then(
      (copy) => {
        setSanitizing(undefined);
        saveBlob(copy.blob, copy.fileName);
        setSanitizeNote(`Saved ${copy.fileName}: ${copy.summary}.`);
      },
      (e: unknown) => {
        setSanitizing(undefined);
        setSanitizeNote(`Could not save a sanitized copy: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  };

  const busy = reading !== undefined;
  return (
    <div class="pane">
      <h2 class="pane-title">Analyse a HAR file</h2>
      <p class="hint">
        A HAR file is a recording of what the browser sent and received. In Chrome or Edge: open the developer
        tools (F12), the Network tab, reproduce the problem, then “Export HAR (with sensitive data)”. In
        Firefox: right-click a request, “Save All As HAR”.
      </p>
      {/* One job at a time in the worker: no new file while a copy is being sanitized. */}
      <HarDropZone onFile={open} busy={busy || sanitizing !== undefined} />
      {reading ? <ProgressBar p={reading} /> : null}
      <FormStatus status={status} error={error} />
      {analysis && !busy ? (
        <HarReportView
          analysis={analysis}
          sanitize={{ run: sanitize, progress: sanitizing, note: sanitizeNote }}
        />
      ) : null}
    </div>
  );
}
