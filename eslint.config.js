import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The platform-neutral core runs in the browser too: no Node built-ins there.
    files: [
      'src/model/**',
      'src/parse/**',
      'src/checks/**',
      'src/knowledge/**',
      'src/render/**',
      'src/core/**',
      'src/guide/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'platform-neutral code: no node: imports' }] },
      ],
    },
  },
  {
    // The web page (docs/UI.md) runs in the browser: the platform-neutral core only, never the Node side.
    files: ['ui/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'the page runs in a browser: no node: imports' },
            {
              group: [
                '**/src/probe/**',
                '**/src/cli/**',
                '**/src/ui-server/**',
                '**/src/demo/**',
                '**/src/echo/**',
                '**/src/diagnose.js',
                '**/src/har/reader.js',
              ],
              message: 'Node-only code: the page uses the platform-neutral core and the local server API',
            },
          ],
        },
      ],
    },
  },
);
