import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string[];
  subject: string;
  /** The message body, quoted-printable undone. */
  text: string;
  raw: string;
}

export interface TestSmtpServer {
  /** What to give the app as SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  /** Resolves with the first message to `to` (waiting up to 10 s). */
  mailTo(to: string): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** Undoes quoted-printable, which nodemailer uses for text with long lines or non-ASCII characters. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** Undoes RFC 2047 encoded words (=?UTF-8?Q?…?= or ?B?), which nodemailer uses for non-ASCII subjects. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([QB])\?(.*?)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}

function parse(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, "mi").exec(head)?.[1] ?? "";
  const quoted = /quoted-printable/i.test(header("Content-Transfer-Encoding"));
  return { to, subject: decodeHeader(header("Subject")), text: quoted ? decodeQuotedPrintable(body) : body, raw };
}

/** A real SMTP server on port 0 that keeps every message it is given. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push(parse(Buffer.concat(chunks).toString("utf8"), session.envelope.rcptTo.map((rcpt) => rcpt.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async mailTo(to) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const mail = received.find((message) => message.to.includes(to));
        if (mail) return mail;
        if (Date.now() > deadline) throw new Error(`no email to ${to} within 10 s (received: ${received.map((m) => m.to.join(",")).join("; ") || "none"})`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
