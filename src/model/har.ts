/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), as browsers and proxies write it.
 * Fields that some exporters leave out are optional; vendor fields start with `_`.
 */
export interface HarNameValue {
  name: string;
  value: string;
  comment?: string;
}

export interface HarCookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  expires?: string | null;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
}

export interface HarPostData {
  mimeType?: string;
  text?: string;
  params?: Array<{ name: string; value?: string; fileName?: string; contentType?: string }>;
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion?: string;
  headers: HarNameValue[];
  cookies?: HarCookie[];
  queryString?: HarNameValue[];
  postData?: HarPostData;
  headersSize?: number;
  bodySize?: number;
}

export interface HarContent {
  size?: number;
  compression?: number;
  mimeType?: string;
  text?: string;
  encoding?: string;
  /** Set by why401's reader when it cut a large text (the original length in characters). */
  _why401TruncatedFrom?: number;
}

export interface HarResponse {
  /**
   * 0 (Chrome and most producers) or -1 (Playwright) when the request got no answer; see
   * facts/no-answer.ts for each producer's way of saying why.
   */
  status: number;
  statusText?: string;
  httpVersion?: string;
  headers: HarNameValue[];
  cookies?: HarCookie[];
  content?: HarContent;
  redirectURL?: string;
  headersSize?: number;
  bodySize?: number;
  /** Playwright: the browser's error text for a request without an answer (status -1). */
  _failureText?: string;
  /**
   * Chrome and Safari: the failure text with status 0 (`net::ERR_FAILED`; `null` or `""` beside a
   * real status); BrowserMob Proxy and mitmproxy write their own words here, mitmproxy `null` too.
   */
  _error?: string | null;
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time?: number;
  request: HarRequest;
  response: HarResponse;
  timings?: Record<string, number | undefined>;
  serverIPAddress?: string;
  connection?: string;
  _initiator?: unknown;
  _resourceType?: string;
  [vendor: `_${string}`]: unknown;
}

export interface HarCreator {
  name: string;
  version?: string;
  comment?: string;
}

/** What a reader knows about the file besides its entries. */
export interface HarMeta {
  version?: string;
  creator?: HarCreator;
  browser?: HarCreator;
  pages?: Array<{ id: string; title?: string; startedDateTime?: string }>;
}
