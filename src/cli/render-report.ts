import type { Report } from '../model/report.js';
import { renderJson } from '../render/json.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderText } from '../render/text.js';
import { useColor, type OwnOptions } from './options.js';
import { writeWarnings } from './warnings.js';

export { renderHtml } from '../render/html.js';

/**
 * The report for stdout. Its warnings (an unknown curl flag ignored, a file that could not be read,
 * a check that failed) also go to stderr, one line each, whatever the format: a person reading
 * JSON or Markdown in a pipe still sees them, and the text report does not say them twice.
 *
 * Apart from diagnose.ts so that the renderers are not on the way to the first request: the
 * diagnosis imports this module while its requests are in flight.
 */
export function render(report: Report, o: OwnOptions): string {
  writeWarnings(report.warnings);
  if (o.json) return renderJson(report);
  if (o.markdown) return renderMarkdown(report);
  // Warnings went to stderr already; the terminal's width when there is one, 80 when piped.
  return renderText(
    { ...report, warnings: [] },
    { color: useColor(o, process.stdout), width: process.stdout.columns || 80 },
  );
}
