"""Mail in the language of the request that sends it (Traditional Chinese unless English was chosen),
plain text and HTML, from a template triple: `<name>_subject.txt`, `<name>.txt`, `<name>.html`."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


class MailError(Exception):
    """The mail server did not take the message; the message is for the user."""


def send(template, *, to, context, language=None):
    """`language`: the mail's language when it is not the reader's of the current page, e.g. a mail
    that staff send to a volunteer, who reads the site's default language, not the staff member's."""
    with translation.override(language or translation.get_language()):
        context = {"SITE_NAME": gettext(settings.SITE_NAME), "SITE_URL": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        logger.error("mail %s to %s failed: %s", template, to, error)
        raise MailError(gettext("目前無法寄送電子郵件，請稍後再試；若持續發生，請洽運用單位。")) from None
