import rule from '../../../src/audit/rules/error-body-stack-trace.js';
import { testRule } from '../support/rule-tester.js';

const NODE =
  'UnauthorizedError: No authorization token was found\n    at /app/node_modules/express-oauth2-jwt-bearer/dist/index.js:1000:23\n    at Layer.handle (/app/node_modules/router/lib/layer.js:152:17)';
testRule(rule, {
  valid: [
    {
      name: 'a plain JSON error',
      answers: {
        anonymous: { status: 401, body: '{"error":"unauthorized","message":"at least one scope"}' },
      },
    },
  ],
  invalid: [
    { name: 'a Node stack', answers: { anonymous: { status: 401, body: NODE } }, evidence: /no credentials/ },
    {
      name: 'a Python traceback',
      answers: {
        malformed: {
          status: 500,
          body: 'Traceback (most recent call last):\n  File "/app/views.py", line 3',
        },
      },
      evidence: /malformed/,
    },
    {
      name: 'a Java exception',
      answers: {
        expired: {
          status: 500,
          body: 'java.lang.IllegalStateException: boom\n\tat com.example.Api.get(Api.java:42)',
        },
      },
      evidence: /expired/,
    },
    {
      name: 'a .NET stack',
      answers: {
        expired: { status: 500, body: '   at Api.Controllers.Items.Get() in /src/Items.cs:line 42' },
      },
      evidence: /500/,
    },
  ],
  notApplicable: [{ name: 'success', answers: { valid: { status: 200, body: NODE } } }],
});
