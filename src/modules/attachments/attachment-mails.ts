// The lines a mail adds about the files of the message it carries: which are attached, which stayed in the portal (too large).
import type { MailBlock } from '../mail/mail-content.js';
import { formatFileSize } from './file-types.js';

type MailedFile = { filename: string; size: number };

export function attachmentBlocks(files: { attached: MailedFile[]; linked: MailedFile[] }, link: string): MailBlock[] {
  const describe = (file: MailedFile) => `${file.filename} (${formatFileSize(file.size)})`;
  const blocks: MailBlock[] = [];
  if (files.attached.length > 0) blocks.push({ kind: 'paragraph', text: `Angehängt: ${files.attached.map(describe).join(', ')}` });
  if (files.linked.length > 0) {
    blocks.push(
      { kind: 'paragraph', text: `Zu groß für diese E-Mail, im Servicecenter abrufbar: ${files.linked.map(describe).join(', ')}` },
      { kind: 'link', label: 'Dateien im Servicecenter ansehen', url: link },
    );
  }
  return blocks;
}
