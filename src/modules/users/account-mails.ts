// The texts of the mails about an account: password links and the notice that a password changed.
import type { MailContent } from '../mail/mail-content.js';
import type { Settings } from '../settings/settings-schema.js';

export function passwordResetMail(link: string, settings: Settings): MailContent {
  return {
    subject: `${settings.portalName}: Kennwort festlegen`,
    blocks: [
      { kind: 'paragraph', text: 'Guten Tag,' },
      { kind: 'paragraph', text: `Sie haben einen Link angefordert, um Ihr Kennwort für das ${settings.portalName} festzulegen. Der Link gilt 60 Minuten und nur einmal.` },
      { kind: 'link', label: 'Kennwort jetzt festlegen', url: link },
      { kind: 'paragraph', text: 'Wenn Sie den Link nicht angefordert haben, können Sie diese E-Mail ignorieren. Ihr Kennwort bleibt dann unverändert.' },
    ],
  };
}

export function passwordChangedMail(loginUrl: string, forgotUrl: string, settings: Settings): MailContent {
  return {
    subject: `${settings.portalName}: Kennwort geändert`,
    blocks: [
      { kind: 'paragraph', text: 'Guten Tag,' },
      { kind: 'paragraph', text: `das Kennwort Ihres Kontos im ${settings.portalName} wurde soeben geändert. Alle bisherigen Anmeldungen wurden beendet.` },
      { kind: 'link', label: 'Anmelden', url: loginUrl },
      { kind: 'paragraph', text: 'Waren Sie das nicht? Dann fordern Sie bitte sofort einen neuen Link an und setzen Sie ein neues Kennwort:' },
      { kind: 'link', label: 'Kennwort vergessen', url: forgotUrl },
    ],
  };
}
