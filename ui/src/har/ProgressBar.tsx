/** A labelled progress bar: what is happening, how far, in bytes. */

export interface Progress {
  what: string;
  done: number;
  total: number;
}

function size(n: number): string {
  return n < 1048576 ? `${Math.max(1, Math.round(n / 1024))} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

export function ProgressBar(props: { p: Progress }) {
  const { p } = props;
  const pct = p.total ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 0;
  return (
    <div class="progress">
      <label>
        <span>
          {p.what}: {pct}% ({size(p.done)} of {size(p.total)})
        </span>
        <progress max={100} value={pct} />
      </label>
    </div>
  );
}
