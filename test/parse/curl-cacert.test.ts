import { describe, expect, it } from 'vitest';
import { CURL_FLAGS, parseCurlArgs, parseCurlCommand } from '../../src/parse/curl/index.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0E=\n-----END CERTIFICATE-----\n';

/** A readFile that knows a few files, like the CLI's, and throws like it for the others. */
function files(map: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = map[path];
    if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return text;
  };
}

describe('curl --cacert', () => {
  it('reads the CA file through readFile: request.cacert = { file, pem }, no warning', () => {
    const p = parseCurlArgs(['--cacert', 'company-root.pem', 'https://api.example.com/'], {
      readFile: files({ 'company-root.pem': PEM }),
    });
    expect(p.request.cacert).toEqual({ file: 'company-root.pem', pem: PEM });
    expect(p.warnings.join('\n')).not.toMatch(/cacert/);
  });

  it('takes the --cacert=FILE form and a pasted command line too; the last one wins, as in curl', () => {
    const readFile = files({ 'a.pem': PEM, 'b.pem': `${PEM}${PEM}` });
    expect(parseCurlArgs(['--cacert=a.pem', 'https://x.test/'], { readFile }).request.cacert).toEqual({
      file: 'a.pem',
      pem: PEM,
    });
    const p = parseCurlCommand("curl --cacert a.pem --cacert 'b.pem' https://x.test/", { readFile });
    expect(p.request.cacert).toEqual({ file: 'b.pem', pem: `${PEM}${PEM}` });
  });

  it('without readFile (platform-neutral use): { file } only, and says the file is not used', () => {
    const p = parseCurlArgs(['--cacert', 'ca.pem', 'https://x.test/']);
    expect(p.request.cacert).toEqual({ file: 'ca.pem' });
    expect(p.warnings).toContain(
      '--cacert is not used: ca.pem cannot be read here, so TLS is verified against the usual CAs only',
    );
  });

  it('an unreadable file: { file } and the reader’s error', () => {
    const p = parseCurlArgs(['--cacert', 'missing.pem', 'https://x.test/'], { readFile: files({}) });
    expect(p.request.cacert).toEqual({ file: 'missing.pem' });
    expect(p.warnings.join('\n')).toMatch(/cannot read --cacert file missing\.pem: ENOENT/);
  });

  it('a file that holds no PEM certificate is not used', () => {
    const p = parseCurlArgs(['--cacert', 'ca.der', 'https://x.test/'], {
      readFile: files({ 'ca.der': '0\u0082\u0003\u0001binary' }),
    });
    expect(p.request.cacert).toEqual({ file: 'ca.der' });
    expect(p.warnings.join('\n')).toMatch(/--cacert ca\.der holds no PEM certificate/);
  });

  it('-k and --cacert together: both recorded (-k wins at verification, as in curl)', () => {
    const p = parseCurlArgs(['-k', '--cacert', 'a.pem', 'https://x.test/'], {
      readFile: files({ 'a.pem': PEM }),
    });
    expect(p.request.insecure).toBe(true);
    expect(p.request.cacert?.pem).toBe(PEM);
  });

  it('--capath is still not used, and says to use --cacert', () => {
    const p = parseCurlArgs(['--capath', '/etc/ssl/certs', 'https://x.test/']);
    expect(p.request.cacert).toBeUndefined();
    expect(p.warnings.join('\n')).toMatch(/--capath is not used.*--cacert/);
  });

  it('the help text says what why401 does with it', () => {
    const help = CURL_FLAGS.find((f) => f.long === 'cacert')?.help ?? '';
    expect(help).toMatch(/PEM/);
    expect(help).toMatch(/added to Node's CA list/);
    expect(help).not.toMatch(/not used/);
  });
});
