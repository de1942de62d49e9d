import { useRef, useState } from 'preact/hooks';
import type { Report } from '../../src/model/report.js';
import { ApiError } from './api.js';

/** One API call at a time for a form: busy while it runs, then a report or a one-line error. */
export function useReportRequest() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [report, setReport] = useState<Report | undefined>(undefined);
  const seq = useRef(0);
  const run = async (call: () => Promise<Report>): Promise<Report | undefined> => {
    const mine = ++seq.current;
    setBusy(true);
    setError('');
    // A report stays only beside the input it answers.
    setReport(undefined);
    try {
      const r = await call();
      if (mine !== seq.current) return undefined;
      setReport(r);
      return r;
    } catch (e) {
      if (mine !== seq.current) return undefined;
      setError(
        e instanceof ApiError
          ? e.message
          : `Something went wrong: ${e instanceof Error ? e.message : String(e)}`,
      );
      return undefined;
    } finally {
      if (mine === seq.current) setBusy(false);
    }
  };
  return { busy, error, report, run, setError };
}
