import { useState } from 'preact/hooks';
import { GuideTab } from './guide/GuideTab.js';
import { HarTab } from './har/HarTab.js';
import { RequestTab } from './request/RequestTab.js';
import { TabList, TabPanel, type TabDef } from './Tabs.js';
import { TokenTab } from './token/TokenTab.js';

const TABS: TabDef[] = [
  { id: 'guide', label: 'Guide' },
  { id: 'request', label: 'Request' },
  { id: 'token', label: 'Token' },
  { id: 'har', label: 'HAR file' },
];

/** The page: a header and four tabs. Every panel stays mounted, so switching keeps what was typed. */
export function App() {
  const [tab, setTab] = useState('guide');
  return (
    <div class="wrap">
      <header class="top">
        <h1>why401</h1>
        <p class="purpose">
          Finds out why a request is refused with 401 or 403, and says what to change, with the evidence.
        </p>
      </header>
      <main>
        <TabList label="What to diagnose" tabs={TABS} selected={tab} onSelect={setTab} />
        <TabPanel id="guide" selected={tab === 'guide'}>
          <GuideTab />
        </TabPanel>
        <TabPanel id="request" selected={tab === 'request'}>
          <RequestTab />
        </TabPanel>
        <TabPanel id="token" selected={tab === 'token'}>
          <TokenTab />
        </TabPanel>
        <TabPanel id="har" selected={tab === 'har'}>
          <HarTab />
        </TabPanel>
      </main>
    </div>
  );
}
