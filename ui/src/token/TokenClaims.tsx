import { useId, useState } from 'preact/hooks';
import { decodeJwt, looksLikeJwt } from '../../../src/parse/jwt.js';
import { relativeWords, utcWords } from '../time-words.js';
import { claimMeaning, isTimeClaim } from './claim-words.js';

/**
 * The token decoded here in the browser (no verification: that is the server's report): header,
 * claims with their meaning and times in plain words. The raw token stays hidden until the person
 * asks to see it.
 */

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function TimeWords(props: { name: string; seconds: number; now: number }) {
  const ms = props.seconds * 1000;
  const rel = relativeWords(ms, props.now);
  const past = ms <= props.now;
  let words = rel;
  if (props.name === 'exp') words = past ? `expired ${rel}` : `expires ${rel}`;
  else if (props.name === 'nbf') words = past ? `valid since ${rel}` : `not valid until ${rel}`;
  else if (props.name === 'iat') words = `made ${rel}`;
  else if (props.name === 'auth_time') words = `signed in ${rel}`;
  return (
    <>
      {utcWords(ms)} — <strong class={props.name === 'exp' && past ? 'bad' : ''}>{words}</strong>
    </>
  );
}

function ClaimsTable(props: { caption: string; obj: Record<string, unknown>; now: number; times: boolean }) {
  return (
    <div class="scroll">
      <table class="claims">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Claim</th>
            <th scope="col">Value</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(props.obj).map(([k, v]) => (
            <tr key={k}>
              <th scope="row" class="mono">
                {k}
              </th>
              <td class="mono wrap-any">
                {props.times && isTimeClaim(k, v) ? (
                  <>
                    {v}{' '}
                    <span class="plain-words">({<TimeWords name={k} seconds={v} now={props.now} />})</span>
                  </>
                ) : (
                  show(v)
                )}
              </td>
              <td>{claimMeaning(k) ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RevealToken(props: { token: string }) {
  const id = useId();
  const [shown, setShown] = useState(false);
  return (
    <div class="reveal">
      <p>
        Your token ({props.token.length} characters):{' '}
        {shown ? (
          <code id={id} class="wrap-any">
            {props.token}
          </code>
        ) : (
          <span id={id} class="hidden-secret">
            hidden
          </span>
        )}{' '}
        <button
          type="button"
          class="small"
          aria-pressed={shown}
          aria-controls={id}
          onClick={() => setShown(!shown)}
        >
          {shown ? 'Hide' : 'Reveal'}
        </button>
      </p>
    </div>
  );
}

export function TokenClaims(props: { token: string; now: number }) {
  const t = props.token;
  if (!looksLikeJwt(t)) {
    return (
      <section class="block claims-view" aria-label="The token decoded in this browser">
        <h3>The token decoded in this browser</h3>
        <p>
          This is not a JWT (it does not have the three dot-separated parts of one), so there is nothing to
          decode here: only its issuer can say what it means.
        </p>
        <RevealToken token={t} />
      </section>
    );
  }
  const d = decodeJwt(t);
  return (
    <section class="block claims-view" aria-label="The token decoded in this browser">
      <h3>The token decoded in this browser</h3>
      <p class="hint">Decoded only, not verified: the report above says whether the issuer accepts it.</p>
      {d.ok ? (
        <>
          <ClaimsTable caption="Claims (what the token says)" obj={d.jwt.payload} now={props.now} times />
          <ClaimsTable caption="Header (how it is signed)" obj={d.jwt.header} now={props.now} times={false} />
        </>
      ) : (
        <p class="error-text">{d.message}</p>
      )}
      <RevealToken token={t} />
    </section>
  );
}
