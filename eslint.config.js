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
);
