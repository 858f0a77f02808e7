"""One sentence per kind, in the reader's language, filled from the notification's params."""

from django.utils.translation import gettext_lazy as _

from volnet.notifications.models import Kind

TEXTS = {
    Kind.HOURS_APPROVED: _("您填報的服務時數（%(what)s）已由%(unit)s核准。"),
    Kind.HOURS_RETURNED: _("您填報的服務時數（%(what)s）已由%(unit)s退回：%(reason)s"),
    Kind.APPLICATION_DECIDED: _("您應徵「%(what)s」的結果：%(outcome)s。"),
    Kind.CARD_APPROVED: _("您的志願服務榮譽卡申請已核准。"),
    Kind.CARD_ISSUED: _("您的志願服務榮譽卡已核發，有效期限至 %(until)s。"),
    Kind.CARD_RETURNED: _("您的志願服務榮譽卡申請已退回：%(reason)s"),
    Kind.BOOK_ISSUED: _("%(unit)s已發給您志願服務紀錄冊（編號 %(number)s）。"),
    Kind.JOIN_REQUEST: _("%(unit)s邀請您加入，請到「單位邀請」回覆。"),
    Kind.INSURANCE_ENDING: _("%(who)s的志工保險將於 %(until)s 到期。"),
    Kind.CARD_ENDING: _("您的志願服務榮譽卡將於 %(until)s 到期。"),
    Kind.CERTIFICATE_ISSUED: _("%(unit)s已核發您的志願服務績效證明書（%(number)s），請到「榮譽紀錄」下載。"),
    Kind.CERTIFICATE_RETURNED: _("%(unit)s退回了您的績效證明書申請：%(reason)s"),
    Kind.COURSE_ENROLLED: _("您已報名「%(course)s」，第一場在 %(when)s。"),
    Kind.COURSE_WAITING: _("「%(course)s」已額滿，您在候補名單第 %(place)s 位；有人取消時會自動遞補並通知您。"),
    Kind.COURSE_MOVED_UP: _("有人取消報名，您已由候補遞補為「%(course)s」的正式學員，第一場在 %(when)s。"),
    Kind.COURSE_REMINDER: _("提醒您：明天 %(when)s 有「%(course)s」的課（%(subject)s），地點：%(place)s。"),
    Kind.COURSE_CHANGED: _("您報名的「%(course)s」有變更：%(what)s。請查看最新的時間與地點。"),
    Kind.COURSE_CANCELLED: _("您報名的「%(course)s」已取消：%(reason)s"),
    Kind.COURSE_COMPLETED: _("您已完成「%(course)s」，結業證書字號 %(number)s，訓練時數已登錄在教育訓練時數。"),
    Kind.ACCOUNT_CHANGED: _("%(unit)s的%(by)s變更了您的%(what)s。如非您本人要求，請與該單位聯絡。"),
    Kind.APPROVALS_WAITING: _("%(unit)s有 %(count)s 筆填報時數等待審核。"),
    Kind.APPLICATIONS_TO_REVIEW: _("%(unit)s有 %(count)s 件申請等待審查。"),
    Kind.CERTIFICATES_TO_REVIEW: _("%(unit)s有一件%(name)s的績效證明書申請待您審核，期限 %(due)s。"),
    Kind.REPORTS_DUE: _("%(unit)s的 %(year)s 年度成果報告應於 %(due)s 前提出。"),
    Kind.CARDS_ENDING: _("%(unit)s有 %(count)s 位志工的志願服務榮譽卡將於 %(until)s 到期，符合資格者可申請換發。"),
    Kind.CORRECTION_REQUESTED: _("%(who)s申請更正%(unit)s登錄的「%(what)s」。"),
    Kind.CORRECTION_ANSWERED: _("%(unit)s已回覆您對「%(what)s」的更正申請：%(outcome)s。"),
}

# A kind told in more than one situation: params["variant"] picks the sentence.
VARIANTS = {
    (Kind.REPORTS_DUE, "late"): _("%(unit)s的 %(year)s 年度成果報告已逾期（應於 %(due)s 前提出），請盡快提報。"),
    (Kind.REPORTS_DUE, "review"): _("%(unit)s有 %(count)s 份成果報告等待審核。"),
}


class _Blank(dict):
    def __missing__(self, key):
        return ""


def text_of(kind, params):
    params = params or {}
    template = VARIANTS.get((kind, params.get("variant"))) or TEXTS.get(kind)
    if template is None:
        return ""
    return str(template) % _Blank(params)
