"""`make run`: the development server plus a local SMTP sink whose mail the /dev/outbox/ page shows.

Tasks (mail, long imports) run eagerly, in the web process once its transaction commits, unless a broker is
configured (REDIS_URL or CELERY_BROKER_URL): then this also starts a Celery worker with beat beside the server,
and stops it on the way out. So `make run` needs nothing else, and with Redis it runs as production does."""

import atexit
import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from volnet.lib.mailsink import MailSink


class Command(BaseCommand):
    help = _("啟動開發伺服器與本機郵件收件匣（僅限 DEBUG）。")

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--mail-port", type=int, default=settings.EMAIL_PORT)

    def handle(self, *args, addrport, mail_port, **options):
        if not settings.DEBUG:
            raise CommandError(gettext("rundev 只能在 DEBUG=1 時使用。"))
        # The autoreloader runs this command twice; the outer process lives longest, so the sink goes there.
        if os.environ.get("RUN_MAIN") != "true":
            try:
                MailSink(folder=settings.MAIL_SINK_DIR, port=mail_port).start()
            except OSError as error:
                raise CommandError(
                    gettext("無法在連接埠 %(port)s 啟動本機郵件伺服器：%(error)s。請改用 MAIL_PORT=…")
                    % {"port": mail_port, "error": error}
                ) from None
            self.stdout.write(
                gettext("本機郵件伺服器 %(address)s → %(folder)s")
                % {"address": f"smtp://127.0.0.1:{mail_port}", "folder": settings.MAIL_SINK_DIR}
            )
            if not settings.CELERY_TASK_ALWAYS_EAGER:
                self._start_worker()
        call_command("runserver", addrport)

    def _start_worker(self):
        worker = subprocess.Popen([
            sys.executable, "-m", "celery", "-A", "volnet", "worker", "--beat", "--pool", "solo",
            "--loglevel", "warning", "--schedule", str(settings.VAR_DIR / "celerybeat-schedule"),
        ])
        atexit.register(worker.terminate)
        self.stdout.write(gettext("已啟動背景工作程序（Celery worker 與 beat）。"))
