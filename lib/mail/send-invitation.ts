// Mails invitation links when SMTP is configured. Mail is best effort: the inviter always
// gets the link to copy, so a mail failure is logged and reported, never fatal.
import { config } from "@/lib/config";
import { logger } from "@/lib/log";

export async function sendInvitationEmail(msg: { to: string; link: string; projectName: string; inviter: string }) {
  if (!config.smtp) return false;
  try {
    const { createTransport } = await import("nodemailer");
    const transport = createTransport(config.smtp.url);
    await transport.sendMail({
      from: config.smtp.from,
      to: msg.to,
      subject: `You are invited to ${msg.projectName} on InferenceKey`,
      text: `${msg.inviter} invited you to the project "${msg.projectName}".\n\nAccept: ${msg.link}\n\nThe link expires in 7 days.`,
    });
    return true;
  } catch (err) {
    logger.warn("invitation email failed", { err });
    return false;
  }
}
