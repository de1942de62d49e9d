import type { FromWorker, HarAnalysis, SanitizedCopy, ToWorker } from './har-messages.js';

/**
 * The page's side of the HAR worker: one job at a time, progress reported as it comes. The worker
 * is started on first use and kept, so the file it holds can be sanitized later without reading it
 * into the page.
 */

type Progress = (phase: 'read' | 'sanitize', done: number, total: number) => void;

let worker: Worker | undefined;

function theWorker(): Worker {
  worker ??= new Worker(new URL('./har-worker.ts', import.meta.url), { type: 'module', name: 'why401-har' });
  return worker;
}

function job<T>(msg: ToWorker, pick: (m: FromWorker) => T | undefined, onProgress: Progress): Promise<T> {
  const w = theWorker();
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
    };
    const onMessage = (ev: MessageEvent<FromWorker>) => {
      const m = ev.data;
      if (m.type === 'progress') return onProgress(m.phase, m.done, m.total);
      done();
      if (m.type === 'error') return reject(new Error(m.message));
      const v = pick(m);
      if (v === undefined) reject(new Error(`unexpected answer from the HAR worker: ${m.type}`));
      else resolve(v);
    };
    const onError = (ev: ErrorEvent) => {
      done();
      ev.preventDefault();
      // A crashed worker is replaced on the next job.
      worker?.terminate();
      worker = undefined;
      reject(new Error(ev.message || 'the HAR worker stopped'));
    };
    w.addEventListener('message', onMessage);
    w.addEventListener('error', onError);
    w.postMessage(msg);
  });
}

export function analyzeInWorker(file: File, onProgress: Progress): Promise<HarAnalysis> {
  return job({ type: 'analyze', file }, (m) => (m.type === 'analysis' ? m.analysis : undefined), onProgress);
}

export function sanitizeInWorker(onProgress: Progress): Promise<SanitizedCopy> {
  return job({ type: 'sanitize' }, (m) => (m.type === 'sanitized' ? m.copy : undefined), onProgress);
}

/** Starts the worker ahead of time (its script is fetched from this page's own server, nothing else). */
export function warmUpHarWorker(): void {
  theWorker();
}
