import { useId, useState } from 'preact/hooks';

/** Where a HAR file comes in: dropped on the zone, or chosen with the (keyboard-reachable) file input. */
export function HarDropZone(props: { onFile(file: File): void; busy: boolean }) {
  const id = useId();
  const [over, setOver] = useState(false);
  const take = (files: FileList | null | undefined) => {
    const f = files?.[0];
    if (f && !props.busy) props.onFile(f);
  };
  return (
    <div
      class={`dropzone${over ? ' over' : ''}`}
      onDragEnter={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        take(e.dataTransfer?.files);
      }}
    >
      <p class="drop-title">Drop a HAR file here</p>
      <p class="drop-or">or</p>
      <label class="file-button">
        <span>Choose a HAR file…</span>
        <input
          id={id}
          class="sr-only"
          type="file"
          accept=".har,.json,application/json"
          disabled={props.busy}
          onChange={(e) => {
            take(e.currentTarget.files);
            // The same file chosen again is read again.
            e.currentTarget.value = '';
          }}
        />
      </label>
      <p class="hint">
        The file is read and analysed in this browser only. It is not uploaded anywhere, not even to the
        why401 ui server on this computer.
      </p>
    </div>
  );
}
