"""How an email's text travels: 8-bit UTF-8, so every link arrives whole.

Python's email package picks quoted-printable for any line longer than 78 characters,
and that breaks a long line with "=" at the end and writes "=3D" for each "=". Mail
programs undo it, but a link copied out of the raw text (the console backend's output,
a mail log, a preview) then fails: the before-visit link did. Every line Django or our
templates write is well under SMTP's 998-character limit, and every mail server of the
last twenty years takes 8-bit text (8BITMIME), so the text goes as it is. Attachments
(the .ics) keep base64, whose short lines any server takes.
"""

import email.message
import email.policy

from django.core.mail import EmailMultiAlternatives

# RFC 5322: a line of a message must not be longer than this, line ending excluded.
SMTP_LINE_LIMIT = 998


class EightBitEmail(EmailMultiAlternatives):
    """An email whose text parts go as 8-bit UTF-8 rather than quoted-printable."""

    def message(self, *, policy: email.policy.Policy | None = None) -> email.message.EmailMessage:
        message = super().message(policy=policy or email.policy.default)
        for part in message.walk():
            if (
                part.get_content_type() == "text/plain"
                and not part.is_attachment()
                and part["Content-Transfer-Encoding"] in {"quoted-printable", "base64"}
                and isinstance(part, email.message.EmailMessage)
            ):
                text = part.get_content()
                if all(len(line.encode()) <= SMTP_LINE_LIMIT for line in text.splitlines()):
                    part.set_content(text, subtype="plain", charset="utf-8", cte="8bit")
        return message
