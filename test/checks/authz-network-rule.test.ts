import check from '../../src/checks/authz-network-rule.js';
import { testCheck } from '../support/check-tester.js';

const TOKEN = { Authorization: 'Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a' };
const GITHUB = { 'X-GitHub-Request-Id': 'C0DE:1234:5678:9ABC:65F00000', 'Content-Type': 'application/json' };
/** GitHub's answer when the organization's IP allow list refuses the address (docs.github.com, IP allow lists). */
const IP_LIST =
  '{"message":"Although you appear to have the correct authorization credentials, the `acme` organization has an IP allow list enabled, and your IP address is not permitted to access this resource.","documentation_url":"https://docs.github.com/rest"}';

testCheck(check, {
  valid: [
    { name: 'a bare 403', input: { headers: TOKEN, status: 403, responseBody: 'Forbidden' } },
    {
      name: 'the anonymous request gets the same words',
      input: {
        headers: TOKEN,
        status: 403,
        responseHeaders: GITHUB,
        responseBody: IP_LIST,
        anonymous: { status: 403, responseHeaders: GITHUB, responseBody: IP_LIST },
      },
    },
  ],
  invalid: [
    {
      name: 'GitHub organization IP allow list, the anonymous request gets 404',
      input: {
        url: 'https://api.github.com/repos/acme/private-repo',
        headers: TOKEN,
        status: 403,
        responseHeaders: GITHUB,
        responseBody: IP_LIST,
        anonymous: { status: 404, responseBody: '{"message":"Not Found"}' },
      },
      expect: {
        id: 'authz.network-rule',
        title:
          'GitHub refuses this caller this request on organization acme: a network or IP rule refuses where the request comes from',
        mentions: ['https://github.com/organizations/acme/settings/security'],
      },
    },
  ],
});
