import { analyzeHarFile } from './har-analysis.js';
import type { FromWorker, ToWorker } from './har-messages.js';
import { sanitizeHarFile } from './har-sanitize.js';

/**
 * The HAR worker: the file is read, analysed and sanitized here, off the page's main thread. It
 * has no network code at all: the file goes nowhere but into this worker's memory.
 */

/** The worker's global scope (typed by hand: the page's program uses the DOM library, not the worker one). */
interface WorkerScope {
  postMessage(m: FromWorker): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent<ToWorker>) => void): void;
}
const scope = self as unknown as WorkerScope;
let file: File | undefined;

function send(m: FromWorker): void {
  scope.postMessage(m);
}

function progress(phase: 'read' | 'sanitize') {
  let last = 0;
  return (done: number, total: number) => {
    const now = Date.now();
    if (now - last < 50 && done < total) return;
    last = now;
    send({ type: 'progress', phase, done, total });
  };
}

function fail(e: unknown): void {
  send({ type: 'error', message: (e instanceof Error ? e.message : String(e)).split('\n')[0]! });
}

scope.addEventListener('message', (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  if (m.type === 'analyze') {
    file = m.file;
    analyzeHarFile(m.file, progress('read')).then((analysis) => send({ type: 'analysis', analysis }), fail);
  } else if (m.type === 'sanitize') {
    if (!file) return fail(new Error('no HAR file has been opened'));
    sanitizeHarFile(file, progress('sanitize')).then((copy) => send({ type: 'sanitized', copy }), fail);
  }
});
