// One source for every e-mail: a subject and blocks, rendered to both plain text and HTML with user text escaped.
import { escapeHtml } from '../../lib/plain-text.js';

export type MailBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'link'; label: string; url: string }
  | { kind: 'message'; heading: string; text: string };

export type MailContent = { subject: string; blocks: MailBlock[] };

export type RenderedMail = { subject: string; text: string; html: string };

export function renderMail(content: MailContent, footer: string): RenderedMail {
  return { subject: content.subject, text: renderText(content.blocks, footer), html: renderHtml(content, footer) };
}

function renderText(blocks: MailBlock[], footer: string): string {
  const parts = blocks.map((block) => {
    switch (block.kind) {
      case 'paragraph': return block.text;
      case 'link': return `${block.label}:\n${block.url}`;
      case 'message': return `${block.heading}\n${block.text.split('\n').map((l) => `  ${l}`).join('\n')}`;
    }
  });
  return `${parts.join('\n\n')}\n\n-- \n${footer}\n`;
}

function renderHtml(content: MailContent, footer: string): string {
  const body = content.blocks.map((block) => {
    switch (block.kind) {
      case 'paragraph':
        return `<p style="margin:0 0 16px">${escapeHtml(block.text)}</p>`;
      case 'link':
        return `<p style="margin:0 0 16px"><a href="${escapeHtml(block.url)}" style="color:#0b5394">${escapeHtml(block.label)}</a></p>`;
      case 'message':
        return `<div style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #ccc"><p style="margin:0 0 8px;color:#555">${escapeHtml(block.heading)}</p><div style="white-space:pre-wrap">${escapeHtml(block.text)}</div></div>`;
    }
  });
  return `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>`
    + `<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222">${body.join('')}`
    + `<p style="margin:24px 0 0;color:#666;font-size:13px">${escapeHtml(footer)}</p></body></html>`;
}
