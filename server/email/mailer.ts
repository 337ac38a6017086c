import nodemailer from "nodemailer";
import type { Logger } from "pino";

/** Email, when the instance has an SMTP server (SMTP_URL); without one, nothing is sent and callers say so. */

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  readonly configured: boolean;
  /** True once the SMTP server accepted the message; false without SMTP or when sending failed (logged). */
  send(mail: Mail): Promise<boolean>;
}

export function createMailer({ smtpUrl, from, logger }: { smtpUrl?: string; from: string; logger: Logger }): Mailer {
  if (!smtpUrl) return { configured: false, send: async () => false };
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    configured: true,
    async send(mail) {
      try {
        await transport.sendMail({ from, ...mail });
        logger.info({ to: mail.to, subject: mail.subject }, "email sent");
        return true;
      } catch (error) {
        // The caller carries on (an owner still gets the link to copy); the reason is here.
        logger.error({ err: error, to: mail.to, subject: mail.subject }, "email could not be sent");
        return false;
      }
    },
  };
}
