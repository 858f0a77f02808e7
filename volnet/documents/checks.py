"""`manage.py check --deploy`: production signs its documents with its own certificate, never the demo one."""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _


@checks.register(checks.Tags.security, deploy=True)
def signing_certificate(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    named = [settings.DOCUMENT_SIGNING_CERT, settings.DOCUMENT_SIGNING_KEY]
    if all(named):
        missing = [path for path in named if not Path(path).is_file()]
        if not missing:
            return []
        return [checks.Error(_("找不到文件簽章憑證或私鑰檔案：%(files)s。") % {"files": "、".join(missing)},
                             hint=_("請確認 DOCUMENT_SIGNING_CERT 與 DOCUMENT_SIGNING_KEY 的路徑。"), id="volnet.E003")]
    return [checks.Error(
        _("未設定 DOCUMENT_SIGNING_CERT 與 DOCUMENT_SIGNING_KEY：核發的 PDF 會以自動產生的示範憑證簽章，"
          "收到文件的人無法確認簽章者是本機關。"),
        hint=_("請設定機關憑證（PEM）與私鑰的檔案路徑，私鑰有密碼時另設 DOCUMENT_SIGNING_KEY_PASSWORD。"),
        id="volnet.E002",
    )]
