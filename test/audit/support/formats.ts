/**
 * Small, strict checks of the machine formats, with nothing installed: no XML parser ships with
 * Node, so a tokenizer checks that a document is well-formed XML 1.0 in the parts a JUnit report
 * uses (one root, balanced tags, quoted attributes, only the predefined entities, no stray `<` or
 * `&`), and a SARIF log is checked for what SARIF 2.1.0 requires.
 */

const NAME = '[A-Za-z_:][-A-Za-z0-9_.:]*';
const ENTITY = '&(?:amp|lt|gt|quot|apos|#\\d+|#x[0-9A-Fa-f]+);';
const TEXT = new RegExp(`^(?:[^<&]|${ENTITY})*$`);
const ATTRS = new RegExp(`^(?:\\s+${NAME}\\s*=\\s*"(?:[^"<&]|${ENTITY})*")*\\s*$`);
const TAG = new RegExp(`^<(/?)(${NAME})([^>]*?)(/?)>$`);

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
}

/**
 * Throws on the first error; returns every start tag in order (with its attributes, unescaped
 * only for &quot; &lt; &gt; &amp;), for counting. `voids` lets the same check read HTML, whose
 * void elements (meta) are never closed.
 */
export function wellFormed(doc: string, voids: string[] = []): XmlElement[] {
  const body = doc.replace(/^<\?xml[^?]*\?>/, '').replace(/^\s*<!doctype html>/i, '');
  const parts = body.split(/(<!--[\s\S]*?-->|<[^>]*>)/);
  const stack: string[] = [];
  const elements: XmlElement[] = [];
  let roots = 0;
  for (const part of parts) {
    if (part === '' || part.startsWith('<!--')) continue;
    if (!part.startsWith('<')) {
      if (!TEXT.test(part)) throw new Error(`bad text: ${part.slice(0, 80)}`);
      if (stack.length === 0 && part.trim()) throw new Error(`text outside the root: ${part.slice(0, 80)}`);
      continue;
    }
    const m = TAG.exec(part);
    if (!m) throw new Error(`bad tag: ${part.slice(0, 80)}`);
    const [, close, name, rest, self] = m as unknown as [string, string, string, string, string];
    if (close) {
      if (rest.trim() || self) throw new Error(`bad end tag: ${part}`);
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
      continue;
    }
    if (!ATTRS.test(rest)) throw new Error(`bad attributes: ${part.slice(0, 120)}`);
    const attrs: Record<string, string> = {};
    for (const a of rest.matchAll(new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, 'g')))
      attrs[a[1]!] = a[2]!
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
    if (stack.length === 0 && roots++ > 0) throw new Error(`a second root: <${name}>`);
    elements.push({ name, attrs });
    if (!self && !voids.includes(name.toLowerCase())) stack.push(name);
  }
  if (stack.length) throw new Error(`unclosed: <${stack.join('> <')}>`);
  if (roots !== 1) throw new Error('no root element');
  return elements;
}

export interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: {
      driver: {
        name: string;
        rules: Array<{
          id: string;
          shortDescription?: { text: string };
          helpUri?: string;
          fullDescription?: { text: string };
        }>;
      };
    };
    results: Array<{
      ruleId: string;
      ruleIndex?: number;
      level: string;
      message: { text: string };
      locations: Array<{
        physicalLocation: { artifactLocation: { uri: string } };
        logicalLocations?: Array<{ fullyQualifiedName: string }>;
      }>;
    }>;
  }>;
}

/** What SARIF 2.1.0 requires of a log, a run, a driver and a result, and that every ruleId is a rule of the driver. */
export function checkSarif(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  if (log.version !== '2.1.0') throw new Error(`version ${log.version}`);
  if (!/sarif-2\.1\.0/.test(log.$schema)) throw new Error(`$schema ${log.$schema}`);
  if (!Array.isArray(log.runs) || log.runs.length !== 1) throw new Error('runs');
  const run = log.runs[0]!;
  if (!run.tool.driver.name) throw new Error('tool.driver.name');
  const ids = run.tool.driver.rules.map((r) => r.id);
  for (const res of run.results) {
    if (!ids.includes(res.ruleId)) throw new Error(`ruleId ${res.ruleId} not in driver.rules`);
    if (res.ruleIndex !== undefined && ids[res.ruleIndex] !== res.ruleId)
      throw new Error(`ruleIndex of ${res.ruleId}`);
    if (!['error', 'warning', 'note', 'none'].includes(res.level)) throw new Error(`level ${res.level}`);
    if (!res.message.text) throw new Error('message.text');
    if (!res.locations[0]?.physicalLocation.artifactLocation.uri) throw new Error('location');
  }
  return log;
}
