import { expect } from 'vitest';
import check from '../../src/checks/url-environment-mismatch.js';
import { testCheck } from '../support/check-tester.js';

const seg = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const bearer = (p: object) => ({
  Authorization: `Bearer ${seg({ alg: 'RS256', kid: 'k1' })}.${seg({ sub: 'u1', ...p })}.c2lnbmF0dXJl`,
});

testCheck(check, {
  valid: [
    { name: 'no token', input: {} },
    {
      name: 'production issuer, production host',
      input: {
        url: 'https://api.example.com/v1',
        headers: bearer({ iss: 'https://auth.example.com/', aud: 'https://api.example.com' }),
      },
    },
    {
      name: 'staging on both sides',
      input: {
        url: 'https://api.staging.example.com/v1',
        headers: bearer({ iss: 'https://auth.staging.example.com/', aud: 'https://api.staging.example.com' }),
      },
    },
    {
      name: 'synonyms: stg host, staging issuer',
      input: {
        url: 'https://api-stg.example.com/v1',
        headers: bearer({ iss: 'https://auth.staging.example.com/' }),
      },
    },
    {
      name: 'loopback on both sides',
      input: {
        url: 'http://127.0.0.1:8080/v1',
        headers: bearer({ iss: 'http://localhost:9000/realms/test' }),
      },
    },
    {
      name: 'a loopback API with a staging issuer (local development)',
      input: {
        url: 'http://localhost:3000/v1',
        headers: bearer({ iss: 'https://auth.staging.example.com/' }),
      },
    },
    {
      name: 'an IP address says nothing about its environment',
      input: { url: 'http://10.0.0.5/v1', headers: bearer({ iss: 'https://auth.dev.example.com/' }) },
    },
    {
      name: 'a container name says nothing either',
      input: { url: 'http://api:8080/v1', headers: bearer({ iss: 'http://keycloak:8080/realms/dev' }) },
    },
    {
      name: "Auth0's generated dev- tenant name is not an environment",
      input: {
        url: 'https://api.example.com/v1',
        headers: bearer({ iss: 'https://dev-k3x9q2ab.us.auth0.com/' }),
      },
    },
    {
      name: "Okta's developer org name is not an environment",
      input: {
        url: 'https://api.example.com/v1',
        headers: bearer({ iss: 'https://dev-12345678.okta.com/oauth2/default' }),
      },
    },
    {
      name: 'words inside other words do not count (latest, contest)',
      input: {
        url: 'https://latest.example.com/v1',
        headers: bearer({ iss: 'https://contest.example.com/' }),
      },
    },
    {
      name: 'a dev host with a shared identity provider (Entra ID) is normal',
      input: {
        url: 'https://api.dev.example.com/v1',
        headers: bearer({
          iss: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
        }),
      },
    },
    {
      name: '*.localhost names with a loopback issuer: both local',
      input: { url: 'http://api.localhost:8080/v1', headers: bearer({ iss: 'http://localhost:9000/' }) },
    },
  ],
  invalid: [
    {
      name: 'a staging issuer against a production host: likely',
      input: {
        url: 'https://api.example.com/v1/me',
        headers: bearer({ iss: 'https://auth.staging.example.com' }),
      },
      expect: {
        id: 'url.environment-mismatch',
        kind: 'cause',
        step: 1,
        confidence: 'likely',
        title: 'The token is from the staging environment, but api.example.com looks like production',
        mentions: ["The token's iss https://auth.staging.example.com (staging)"],
        evidence: [
          { probe: 'input', where: 'token.iss', value: 'https://auth.staging.example.com' },
          { probe: 'main', where: 'request.url', value: 'GET https://api.example.com/v1/me' },
        ],
        fix: expect.stringContaining('production issuer'),
        count: 1,
      },
    },
    {
      name: 'a dev audience against a production host',
      input: {
        url: 'https://api.example.com/v1',
        headers: bearer({ iss: 'https://auth.example.com/', aud: 'api://orders-dev' }),
      },
      expect: {
        title: 'The token is from the dev environment, but api.example.com looks like production',
        evidence: [{ where: 'token.aud', value: 'api://orders-dev' }],
      },
    },
    {
      name: 'a Keycloak realm named test against a production host',
      input: {
        url: 'https://api.example.com/v1',
        headers: bearer({ iss: 'https://sso.example.com/realms/test' }),
      },
      expect: { title: expect.stringContaining('from the test environment') },
    },
    {
      name: 'staging token to the dev host',
      input: {
        url: 'https://api.dev.example.com/v1',
        headers: bearer({ iss: 'https://auth.stg.example.com/' }),
      },
      expect: {
        confidence: 'likely',
        title:
          'The token is from the staging environment, but the request goes to the dev host api.dev.example.com',
      },
    },
    {
      name: 'sandbox token to a production-named host',
      input: {
        url: 'https://api.prod.example.com/v1',
        headers: bearer({ iss: 'https://auth.sandbox.example.com/' }),
      },
      expect: {
        title: 'The token is from the sandbox environment, but api.prod.example.com looks like production',
      },
    },
    {
      name: 'a token from a local issuer sent to production',
      input: {
        url: 'https://api.example.com/v1',
        headers: bearer({ iss: 'http://localhost:8080/realms/shop' }),
      },
      expect: { title: 'The token is from the local environment, but api.example.com looks like production' },
    },
    {
      name: 'pre-prod spelled with a dash',
      input: {
        url: 'https://api.example.com/v1',
        headers: bearer({ iss: 'https://auth.pre-prod.example.com/' }),
      },
      expect: { title: expect.stringContaining('from the preprod environment') },
    },
    {
      name: '*.localhost names: a staging issuer against a production-named API',
      input: {
        url: 'http://api.localhost:8080/v1',
        headers: bearer({ iss: 'http://auth.staging.localhost:9000/' }),
      },
      expect: { confidence: 'likely', title: expect.stringContaining('from the staging environment') },
    },
    {
      name: 'a dev host, a production issuer of the same domain: possible',
      input: { url: 'https://api.dev.example.com/v1', headers: bearer({ iss: 'https://auth.example.com/' }) },
      expect: {
        confidence: 'possible',
        title:
          "The request goes to the dev host api.dev.example.com, but the token's issuer auth.example.com names no environment (production?)",
      },
    },
  ],
});
