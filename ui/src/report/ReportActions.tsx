import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { copyText, saveText } from '../save.js';

/**
 * "Copy Markdown for a support ticket" and "Save HTML report". When the browser refuses the
 * clipboard, the Markdown appears in a text box, selected, for Ctrl+C.
 */
export function ReportActions(props: {
  markdown(): string;
  html(): string;
  htmlName: string;
  copyLabel?: string;
  children?: ComponentChildren;
}) {
  const [note, setNote] = useState('');
  const [fallback, setFallback] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (fallback === null || !box.current) return;
    box.current.focus();
    box.current.select();
  }, [fallback]);

  const copy = async () => {
    const md = props.markdown();
    if (await copyText(md)) {
      setFallback(null);
      setNote('Copied the Markdown to the clipboard: paste it into the support ticket.');
    } else {
      setFallback(md);
      setNote(
        'The browser did not allow copying: the Markdown is selected below, press Ctrl+C (⌘C on a Mac).',
      );
    }
  };
  const save = () => {
    saveText(props.html(), props.htmlName, 'text/html;charset=utf-8');
    setNote(`Saved ${props.htmlName} (look in your downloads).`);
  };

  return (
    <div class="actions">
      <div class="buttons">
        <button type="button" onClick={() => void copy()}>
          {props.copyLabel ?? 'Copy Markdown for a support ticket'}
        </button>
        <button type="button" onClick={save}>
          Save HTML report
        </button>
        {props.children}
      </div>
      <p class="note" role="status">
        {note}
      </p>
      {fallback !== null ? (
        <label class="field">
          <span>Markdown for the support ticket</span>
          <textarea class="mono" readOnly rows={8} ref={box} value={fallback} />
        </label>
      ) : null}
    </div>
  );
}
