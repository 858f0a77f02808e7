"""Make the demo signing certificate (var/signing/demo/, owner-only) unless one exists; `make run` runs it.
Production names its own certificate in settings (DOCUMENT_SIGNING_CERT / DOCUMENT_SIGNING_KEY)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from volnet.documents import signing


class Command(BaseCommand):
    help = "Make the demo certificate that signs issued PDFs, unless settings name a certificate."

    def handle(self, *args, **options):
        if settings.DOCUMENT_SIGNING_CERT and settings.DOCUMENT_SIGNING_KEY:
            self.stdout.write(f"signing with {settings.DOCUMENT_SIGNING_CERT}")
            return
        folder = signing.ensure_demo_certificate()
        self.stdout.write(f"demo signing certificate: {folder / 'cert.pem'}")
