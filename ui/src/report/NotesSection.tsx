/** A report's warnings (about the input, the file, the run) as a list under their own heading; nothing when there are none. */
export function NotesSection(props: { id: string; title: string; notes: string[] }) {
  if (!props.notes.length) return null;
  return (
    <section class="block" aria-labelledby={`${props.id}-notes`}>
      <h3 id={`${props.id}-notes`}>{props.title}</h3>
      <ul class="plain">
        {props.notes.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
    </section>
  );
}
