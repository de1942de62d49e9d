import { useRef, useState } from 'preact/hooks';
import { copyText } from '../save.js';

/** Enough rows for the block as it wraps in a text box about 100 characters wide. */
function rowsFor(text: string): number {
  const rows = text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 100)), 1);
  return Math.min(40, rows);
}

/** The block for the support team, and buttons that copy it (or select it when copying is refused). */
export function SupportBlockView(props: { text: string; markdown: string }) {
  const [note, setNote] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const copy = async (what: string, words: string) => {
    if (await copyText(what)) setNote(`Copied the ${words}: paste it into your message to the support team.`);
    else {
      setNote('The browser did not allow copying: the block is selected, press Ctrl+C (⌘C on a Mac).');
      box.current?.focus();
      box.current?.select();
    }
  };
  return (
    <div class="support-block">
      <label class="field">
        <span>Support block</span>
        <textarea
          ref={box}
          class="mono"
          readOnly
          spellcheck={false}
          rows={rowsFor(props.text)}
          value={props.text}
        />
      </label>
      <div class="buttons">
        <button type="button" class="primary" onClick={() => void copy(props.text, 'support block')}>
          Copy the support block
        </button>
        <button type="button" onClick={() => void copy(props.markdown, 'support block as Markdown')}>
          Copy as Markdown
        </button>
      </div>
      <p class="note" role="status">
        {note}
      </p>
    </div>
  );
}
