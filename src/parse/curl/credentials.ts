/**
 * Credentials that need more than a header line: -U for the proxy, and --aws-sigv4 with -u's
 * keys. Platform-neutral.
 */
import type { AwsSigv4Request } from '../../model/evidence.js';
import { parseAwsSigv4 } from '../aws-sigv4.js';
import type { Collected } from './collected.js';
import { CurlParseError } from './types.js';

/**
 * -U/--proxy-user: curl sends it to the proxy as Basic Proxy-Authorization. Without a password
 * curl prompts for one, and `-U :` asks a Windows curl for the logged-in user's NTLM or Negotiate
 * credentials; why401 can do neither, and says so without repeating the value.
 */
export function proxyUserOf(v: string | undefined, warnings: string[]): string | undefined {
  if (v === undefined) return undefined;
  const colon = v.indexOf(':');
  if (colon === 0) {
    warnings.push(
      "-U with no user name (-U :) asks a Windows curl for the logged-in user's proxy credentials; why401 sends no Proxy-Authorization",
    );
    return undefined;
  }
  if (colon < 0) {
    warnings.push(
      '-U gives no password: curl would prompt for it; why401 sends no Proxy-Authorization (give USER:PASSWORD)',
    );
    return undefined;
  }
  return v;
}

/**
 * --aws-sigv4 with -u ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN] (curl 8.x reads the third
 * part as the X-Amz-Security-Token). A request that cannot be signed is refused here, before
 * anything is sent: sending it unsigned, or the secret as Basic, would show nothing true.
 */
export function awsSigv4Of(
  c: Collected,
  credentials: string | undefined,
  url: string,
  customNames: Set<string>,
  warnings: string[],
): AwsSigv4Request | undefined {
  // libcurl signs only when the request has no Authorization of its own (Curl_output_aws_sigv4).
  if (customNames.has('authorization')) {
    warnings.push('--aws-sigv4 is not applied: a -H Authorization header takes its place, as in curl');
    return undefined;
  }
  if (c.bearer !== undefined)
    throw new CurlParseError('--aws-sigv4 and --oauth2-bearer both make the Authorization header: give one');
  const colon = credentials === undefined ? -1 : credentials.indexOf(':');
  if (credentials === undefined || colon <= 0 || colon === credentials.length - 1)
    throw new CurlParseError(
      '--aws-sigv4 needs -u ACCESS_KEY_ID:SECRET_ACCESS_KEY (add :SESSION_TOKEN for temporary credentials)',
    );
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    // The URL is refused on its own later; the host-derived parts are then not needed.
  }
  const params = parseAwsSigv4(c.awsSigv4 ?? '', host);
  if ('problem' in params)
    throw new CurlParseError(`--aws-sigv4 cannot sign this request: ${params.problem}`);
  const rest = credentials.slice(colon + 1);
  const tokenAt = rest.indexOf(':');
  const aws: AwsSigv4Request = {
    ...params,
    accessKeyId: credentials.slice(0, colon),
    secretAccessKey: tokenAt < 0 ? rest : rest.slice(0, tokenAt),
  };
  if (tokenAt >= 0) aws.sessionToken = rest.slice(tokenAt + 1);
  return aws;
}
