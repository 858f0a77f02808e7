"""The outbox: one row per mail to send. The row is written in the transaction of whatever caused the mail,
so a mail exists exactly when that change was committed. A sender claims it under its row lock, sends it and
marks it sent, so a task run again finds it claimed or sent and sends no second copy (volnet.mailer.outbox)."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Mail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("mail", "待寄出")
        SENT = "sent", pgettext_lazy("mail", "已寄出")
        FAILED = "failed", pgettext_lazy("mail", "無法寄出")

    # What makes this mail this mail: a caller that may run twice (a retried task, a scheduled job) passes
    # the same key and gets the same row. Random when the caller does not name one.
    key = models.CharField(max_length=200, unique=True)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    template = models.CharField(max_length=100, blank=True)  # for the operator: which kind of mail
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField()
    # A sender is talking to the mail server until then; another leaves it alone. A claim outlives a dead sender.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mailer_mail_due")]

    def __str__(self):
        return f"{self.template or self.subject} → {self.to} ({self.status})"
