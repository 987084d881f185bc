import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

/** A message as it leaves: its link, if any, written in. */
export interface OutgoingMessage {
  id: string;
  recipient: string;
  subject: string;
  bodyText: string;
}

export interface Transport {
  send(msg: OutgoingMessage): Promise<void>;
}

/** Development transport: each message becomes an .eml file in the outbox folder. */
export function fileTransport(dir: string, from: string): Transport {
  return {
    async send(msg) {
      await fs.mkdir(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const encoded = `=?UTF-8?B?${Buffer.from(msg.subject).toString('base64')}?=`;
      const eml = [
        `From: ${from}`,
        `To: ${msg.recipient}`,
        `Subject: ${encoded}`,
        `X-Subject-Text: ${msg.subject}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        msg.bodyText,
        '',
      ].join('\r\n');
      await fs.writeFile(path.join(dir, `${stamp}-${msg.id}.eml`), eml);
    },
  };
}

export function smtpTransport(url: string, from: string): Transport {
  const mailer = nodemailer.createTransport(url);
  return {
    async send(msg) {
      await mailer.sendMail({ from, to: msg.recipient, subject: msg.subject, text: msg.bodyText });
    },
  };
}
