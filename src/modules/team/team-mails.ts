// The text of the mail that invites someone into the team with a link to set their first password.
import type { MailContent } from '../mail/mail-content.js';
import type { Settings } from '../settings/settings-schema.js';

export function invitationMail(
  invitation: { memberName: string; inviterName: string; roleLabel: string; setPasswordUrl: string; loginUrl: string },
  settings: Settings,
): MailContent {
  return {
    subject: `${settings.portalName}: Einladung in das Team`,
    blocks: [
      { kind: 'paragraph', text: `Guten Tag ${invitation.memberName},` },
      {
        kind: 'paragraph',
        text: `${invitation.inviterName} hat Sie eingeladen, im ${settings.portalName} mitzuarbeiten (Rolle: ${invitation.roleLabel}). `
          + 'Bitte legen Sie über den folgenden Link Ihr Kennwort fest. Der Link gilt 7 Tage und nur einmal.',
      },
      { kind: 'link', label: 'Kennwort festlegen', url: invitation.setPasswordUrl },
      { kind: 'paragraph', text: 'Danach melden Sie sich mit dieser E-Mail-Adresse und Ihrem Kennwort an:' },
      { kind: 'link', label: 'Anmelden', url: invitation.loginUrl },
      { kind: 'paragraph', text: 'Wenn Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.' },
    ],
  };
}
