/**
 * curl's `--aws-sigv4 <provider1[:provider2[:region[:service]]]>`, read as libcurl reads it
 * (lib/http_aws_sigv4.c, Curl_output_aws_sigv4): the providers name the algorithm
 * (`AWS4-HMAC-SHA256`) and the headers (`X-Amz-Date`); a missing service is the host's first
 * label and, with it, a missing region the second (`es.us-east-2.amazonaws.com` → es,
 * us-east-2). Platform-neutral: the signature itself is computed by src/probe/sigv4.ts.
 */

export interface AwsSigv4Params {
  /** `aws`: the algorithm's prefix (`AWS4-HMAC-SHA256`, `aws4_request`). */
  provider0: string;
  /** `amz`: the headers' (`X-Amz-Date`, `x-amz-content-sha256`). */
  provider1: string;
  region: string;
  service: string;
}

/** libcurl's MAX_SIGV4_LEN: no part may be longer. */
const MAX_PART = 64;

/** The parameters, or a sentence saying why the request cannot be signed (curl fails too). */
export function parseAwsSigv4(param: string, hostname: string): AwsSigv4Params | { problem: string } {
  const parts = (param || 'aws:amz').split(':');
  const [p0 = '', p1 = '', region0 = '', service0 = ''] = parts;
  if (parts.length > 4)
    return { problem: `"${param}" has more than 4 parts (provider1:provider2:region:service)` };
  if (!p0) return { problem: 'the first provider is empty ("aws" in aws:amz:REGION:SERVICE)' };
  if (parts.some((p) => p.length > MAX_PART))
    return { problem: `a part is longer than ${MAX_PART} characters` };
  const provider1 = p1 || p0;
  let region = region0;
  let service = service0;
  if (!service) {
    // curl would take "127" and "0" from 127.0.0.1: an address names no service or region.
    if (/^\d+\.\d+\.\d+\.\d+$/.test(hostname) || hostname.includes(':') || hostname.startsWith('['))
      return {
        problem: `no service given, and the host ${hostname} is an address, which names none (give it: --aws-sigv4 "aws:amz:REGION:SERVICE")`,
      };
    const labels = hostname.split('.');
    if (labels.length < 2 || !labels[0])
      return {
        problem: `no service given and none in the host ${hostname} (give it: --aws-sigv4 "aws:amz:REGION:SERVICE")`,
      };
    service = labels[0];
    if (!region) {
      if (labels.length < 3 || !labels[1])
        return {
          problem: `no region given and none in the host ${hostname} (give it: --aws-sigv4 "aws:amz:REGION:SERVICE")`,
        };
      region = labels[1];
    }
  }
  if (!region) return { problem: 'the region is empty (give it: --aws-sigv4 "aws:amz:REGION:SERVICE")' };
  return { provider0: p0, provider1, region, service };
}
