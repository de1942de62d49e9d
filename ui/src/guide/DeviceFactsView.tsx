import type { DeviceFacts } from '../../../src/guide/index.js';
import { durationWords } from '../time-words.js';

/** What the page measured on this device, in plain words. */
export function DeviceFactsView(props: { d: DeviceFacts }) {
  const { d } = props;
  const skew = d.clockSkewSeconds;
  return (
    <ul class="plain facts">
      <li>
        Clock:{' '}
        {skew === undefined
          ? 'not compared yet (check an address above: the site’s answer says what time it is there)'
          : Math.abs(skew) <= 1
            ? 'your device’s clock agrees with the site’s'
            : `your device’s clock is ${durationWords(skew)} ${skew > 0 ? 'ahead of' : 'behind'} the site’s`}
      </li>
      <li>Cookies: {d.cookiesEnabled === false ? 'blocked by this browser' : 'this browser accepts them'}</li>
      <li>
        Account:{' '}
        {d.account !== undefined
          ? `the sign-in details you pasted are for ${d.account}`
          : 'no account named (paste an Authorization header above to see which account it is for)'}
      </li>
    </ul>
  );
}
