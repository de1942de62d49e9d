import type { ComponentChildren } from 'preact';

/**
 * Under each tab's form: a polite status line (what is running, what came out) that screen
 * readers announce, and the error, if any, as an alert.
 */
export function FormStatus(props: { status: ComponentChildren; error: string }) {
  return (
    <>
      <p class="status" role="status" aria-live="polite">
        {props.status}
      </p>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
    </>
  );
}
