import type { ComponentChildren } from 'preact';
import type { Finding } from '../../../src/model/finding.js';

/** One finding: title, cause id, confidence, step, what was seen, the evidence and the fix. */

const KIND_WORD: Record<Finding['kind'], string> = { cause: 'Cause', warning: 'Warning', info: 'Context' };
/** Colour is never the only sign: each kind has its own mark and word. */
const KIND_MARK: Record<Finding['kind'], string> = { cause: '✖', warning: '⚠', info: 'ℹ' };

type Level = 2 | 3 | 4 | 5;

function Heading(props: { level: Level; children: ComponentChildren; class?: string }) {
  const H = `h${props.level}` as 'h3';
  return <H class={props.class}>{props.children}</H>;
}

export function KindPill(props: { kind: Finding['kind'] }) {
  return (
    <span class={`pill ${props.kind}`}>
      <span aria-hidden="true">{KIND_MARK[props.kind]}</span> {KIND_WORD[props.kind]}
    </span>
  );
}

export function EvidenceTable(props: { f: Finding }) {
  if (!props.f.evidence.length) return null;
  return (
    <div class="scroll">
      <table class="evidence">
        <caption>Evidence</caption>
        <thead>
          <tr>
            <th scope="col">Probe</th>
            <th scope="col">Where</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {props.f.evidence.map((x, i) => (
            <tr key={i}>
              <td class="mono nw">{x.probe}</td>
              <td class="mono">{x.where}</td>
              <td class="mono wrap-any">{x.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function FindingCard(props: {
  f: Finding;
  level: Level;
  main?: boolean;
  /** Shown after the detail (the entries a session finding cites). */
  children?: ComponentChildren;
}) {
  const { f } = props;
  return (
    <article class={`finding ${f.kind}${props.main ? ' main' : ''}`}>
      <Heading level={props.level} class="finding-title">
        {f.title}
      </Heading>
      <p class="meta">
        <KindPill kind={f.kind} />
        <span>
          id <code class="cause-id">{f.id}</code>
        </span>
        <span>confidence: {f.confidence}</span>
        {f.step ? <span>step {f.step} of 5</span> : null}
      </p>
      {f.detail ? <p class="detail">{f.detail}</p> : null}
      {props.children}
      <EvidenceTable f={f} />
      {f.kind !== 'info' ? (
        <p class="fix">
          <strong>Fix:</strong> {f.fix}
        </p>
      ) : null}
    </article>
  );
}
