import type { FrontServerEntry } from '../front-servers.js';
import { viaHop } from './signatures.js';

/** CDNs and cloud load balancers: Cloudflare, CloudFront, AWS ELB, Google Front End, Akamai, Fastly. */

export const EDGES: readonly FrontServerEntry[] = [
  {
    product: 'Cloudflare',
    role: 'front',
    match: {
      server: /^cloudflare$/i,
      headers: [{ name: 'cf-ray' }],
      body: /Cloudflare Ray ID:/,
    },
    losesAuthorization: [],
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/cloudflare.py',
  },
  {
    product: 'Amazon CloudFront',
    role: 'front',
    match: {
      via: viaHop('CloudFront'),
      server: /^CloudFront$/i,
      headers: [{ name: 'x-amz-cf-id' }],
    },
    losesAuthorization: [
      {
        when: 'CloudFront forwards Authorization to the origin only when the behavior includes it in the cache policy; an origin request policy cannot list it ("you cannot pass Authorization … use a CachePolicy to forward these headers instead"), so the origin or API Gateway behind the distribution answers 401.',
        fix: "Add `Authorization` to the headers of the behavior's cache policy (the cache key), e.g. AWS CDK: headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization')",
        source:
          'https://github.com/aws/aws-cdk/issues/13408 ; https://github.com/aws/aws-cdk/issues/15286 ; https://github.com/Droplr/serverless-api-cloudfront/issues/4',
      },
    ],
    source:
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-403-permission-denied.html',
  },
  {
    product: 'AWS Elastic Load Balancing',
    role: 'front',
    match: { server: /^awselb\/(?<v>\d[\w.]*)/i },
    losesAuthorization: [],
    source:
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html',
  },
  {
    product: 'Google Front End',
    role: 'front',
    match: { via: /^\S+\s+google$/i, server: /^Google Frontend$/i },
    losesAuthorization: [],
    source: 'https://cloud.google.com/load-balancing/docs/https#target-proxies',
  },
  {
    product: 'Akamai',
    role: 'front',
    match: { server: /^Akamai(?:GHost|NetStorage)$/i },
    losesAuthorization: [],
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/kona.py',
  },
  {
    product: 'Fastly',
    role: 'front',
    match: {
      headers: [{ name: 'x-served-by', value: /^cache-[a-z0-9-]+/i }, { name: 'x-fastly-request-id' }],
    },
    losesAuthorization: [],
    source: 'EnableSecurity/wafw00f:wafw00f/plugins/fastly.py',
  },
];
