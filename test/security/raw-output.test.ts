// Security suite: templates print raw (unescaped) output only for HTML the server made itself, never for anything else.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const viewsDir = join(import.meta.dirname, '../../views');

// Each allowed form is HTML built by our own code: included templates, the page a layout wraps, the format helpers that
// escape as they build (dates, plain text, search snippets), and Markdown that went through the sanitiser.
const serverMadeHtml = [
  /^include\('[^']+'(, .*)?\)$/,
  /^it\.body$/,
  /^it\.format\.(dateHtml|dateTimeHtml|plainTextToHtml|highlightSnippetHtml)\([\w.]+\)$/,
  /^(it\.articleBodyHtml|it\.previewHtml|comment\.bodyHtml|answer\.bodyHtml)$/,
];

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return templates(path);
    return entry.name.endsWith('.eta') ? [path] : [];
  });
}

function rawOutputs(source: string): string[] {
  return [...source.matchAll(/<%~([\s\S]*?)%>/g)].map((match) => match[1]!.trim());
}

describe('raw template output', () => {
  test('finds the templates and their raw output', () => {
    const all = templates(viewsDir).flatMap((path) => rawOutputs(readFileSync(path, 'utf8')));
    expect(all).toContain('it.body');
    expect(all.some((expression) => expression.startsWith('include('))).toBe(true);
  });

  test('prints only HTML the server made, so no user input can reach the page unescaped', () => {
    const unexpected = templates(viewsDir).flatMap((path) =>
      rawOutputs(readFileSync(path, 'utf8'))
        .filter((expression) => !serverMadeHtml.some((allowed) => allowed.test(expression)))
        .map((expression) => `${relative(viewsDir, path)}: <%~ ${expression} %>`),
    );
    expect(unexpected).toEqual([]);
  });

  test('the checker rejects a conditional attribute and a stored value printed raw', () => {
    const rejected = ["e.name ? ' aria-invalid=\"true\"' : ''", 'comment.body', 'it.format.plainTextToHtml(x) + it.input.name'];
    expect(rejected.filter((expression) => serverMadeHtml.some((allowed) => allowed.test(expression)))).toEqual([]);
  });
});
