"""Outgoing mail: SMTP when ``MAIL_SERVER`` is set, otherwise .eml files in the outbox folder."""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from portal.db import utcnow


def send_mail(to: str, subject: str, body: str) -> EmailMessage:
    """Send a plain-text mail, or write it to the outbox in development and tests."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="clausier.brussels")
    msg.set_content(body)
    if cfg["MAIL_SERVER"]:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20) as smtp:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(msg)
    else:
        outbox = cfg["MAIL_OUTBOX_DIR"]
        os.makedirs(outbox, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        safe_to = "".join(c if c.isalnum() or c in "@.-_" else "_" for c in to)
        path = os.path.join(outbox, f"{stamp}-{safe_to}.eml")
        with open(path, "wb") as fh:
            fh.write(bytes(msg))
        current_app.logger.info("Mail to %s written to %s", to, path)
    return msg
