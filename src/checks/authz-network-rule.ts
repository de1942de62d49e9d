import { defineDecisionCheck, FAMILY } from './authz-decision.js';

/**
 * A 403 the platform explains by where the request comes from: GitHub organization IP allow lists, AWS VPC endpoint policies, Google Cloud VPC Service Controls.
 */
export default defineDecisionCheck(
  {
    ...FAMILY,
    id: 'authz.network-rule',
    plain:
      'The service only accepts this from certain networks or addresses, and this request came from elsewhere',
    title: 'A network or IP rule refuses this request',
    fix: 'Call from an address or network the rule allows (an allowed runner, VPN or VPC endpoint), or ask its owner to allow this one.',
    ref: "The platform's documentation or source for its refusal format (knowledge/authz)",
  },
  'network',
);
