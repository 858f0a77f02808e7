"""What each audit action code means, in the words the log page shows.

Apps record dotted codes (`records.service.updated`); codes not listed here are shown as they are. The
labels are lazy, so they are read in the language of the page that shows them, never the language of
whoever did the action. An entry's `changes` keep the source-language (Chinese) words they were written
with; `rows()` shows the words the catalogues know in the reader's language.
"""

from django.utils.translation import gettext, pgettext_lazy

# With a context: the same Chinese is a button elsewhere (新增服務時數 "Add service hours"), a past action here.
LABELS = {
    "backoffice.volunteer.viewed": pgettext_lazy("audit log action", "查看志工個人資料"),
    "backoffice.volunteer.created": pgettext_lazy("audit log action", "新增志工帳號"),
    "backoffice.volunteer.updated": pgettext_lazy("audit log action", "修改志工聯絡資料"),
    "backoffice.membership.created": pgettext_lazy("audit log action", "加入本單位"),
    "backoffice.membership.requested": pgettext_lazy("audit log action", "邀請加入本單位"),
    "portal.membership.accepted": pgettext_lazy("audit log action", "志工同意加入單位"),
    "portal.membership.declined": pgettext_lazy("audit log action", "志工不同意加入單位"),
    "backoffice.membership.ended": pgettext_lazy("audit log action", "結束服務（離隊）"),
    "backoffice.membership.trial_set": pgettext_lazy("audit log action", "設定見習期"),
    "backoffice.volunteer.photo_updated": pgettext_lazy("audit log action", "單位上傳志工大頭照"),
    "backoffice.password.temporary_set": pgettext_lazy("audit log action", "設定臨時密碼"),
    "backoffice.password.reset_link_sent": pgettext_lazy("audit log action", "寄送重設密碼連結"),
    "accounts.password.temporary": pgettext_lazy("audit log action", "設定臨時密碼（帳號）"),
    "accounts.password.reset_link": pgettext_lazy("audit log action", "寄送重設密碼連結（帳號）"),
    "accounts.password.change": pgettext_lazy("audit log action", "變更密碼"),
    "accounts.signup": pgettext_lazy("audit log action", "加入會員"),
    "accounts.signup.verified": pgettext_lazy("audit log action", "完成信箱驗證"),
    "accounts.signup.replaced": pgettext_lazy("audit log action", "重新加入會員（取代未驗證的申請）"),
    "portal.profile.updated": pgettext_lazy("audit log action", "志工修改聯絡資料"),
    "portal.email.change_requested": pgettext_lazy("audit log action", "志工申請變更電子信箱"),
    "portal.email.changed": pgettext_lazy("audit log action", "志工完成電子信箱變更"),
    "portal.photo.updated": pgettext_lazy("audit log action", "志工更新大頭照"),
    "records.service.created": pgettext_lazy("audit log action", "新增服務時數"),
    "records.service.updated": pgettext_lazy("audit log action", "更正服務時數"),
    "records.service.deleted": pgettext_lazy("audit log action", "刪除服務時數"),
    "records.service.reported": pgettext_lazy("audit log action", "志工自行填報時數"),
    "records.service.withdrawn": pgettext_lazy("audit log action", "志工撤回填報"),
    "records.service.approved": pgettext_lazy("audit log action", "核定自行填報時數"),
    "records.service.declined": pgettext_lazy("audit log action", "退回自行填報時數"),
    "records.correction.requested": pgettext_lazy("audit log action", "志工申請更正紀錄"),
    "records.correction.answered": pgettext_lazy("audit log action", "單位回覆更正申請"),
    "portal.my_data.downloaded": pgettext_lazy("audit log action", "志工下載個人資料"),
    "records.training.created": pgettext_lazy("audit log action", "新增教育訓練"),
    "records.training.updated": pgettext_lazy("audit log action", "更正教育訓練"),
    "records.training.deleted": pgettext_lazy("audit log action", "刪除教育訓練"),
    "records.insurance.created": pgettext_lazy("audit log action", "新增志工保險"),
    "records.insurance.updated": pgettext_lazy("audit log action", "更正志工保險"),
    "records.insurance.deleted": pgettext_lazy("audit log action", "刪除志工保險"),
    "records.other_item.created": pgettext_lazy("audit log action", "新增其他登錄事項"),
    "records.other_item.updated": pgettext_lazy("audit log action", "更正其他登錄事項"),
    "records.other_item.deleted": pgettext_lazy("audit log action", "刪除其他登錄事項"),
    "records.award.created": pgettext_lazy("audit log action", "新增獎勵紀錄"),
    "records.award.updated": pgettext_lazy("audit log action", "更正獎勵紀錄"),
    "records.award.deleted": pgettext_lazy("audit log action", "刪除獎勵紀錄"),
    "accounts.totp.enrol": pgettext_lazy("audit log action", "啟用兩步驟驗證"),
    "accounts.totp.remove": pgettext_lazy("audit log action", "停用兩步驟驗證"),
    "accounts.totp.recovery_codes": pgettext_lazy("audit log action", "重新產生備用碼"),
    "accounts.totp.recovery_code_used": pgettext_lazy("audit log action", "使用備用碼"),
    "albums.album.created": pgettext_lazy("audit log action", "建立相簿"),
    "albums.album.updated": pgettext_lazy("audit log action", "修改相簿"),
    "albums.album.deleted": pgettext_lazy("audit log action", "刪除相簿"),
    "albums.photo.uploaded": pgettext_lazy("audit log action", "上傳相片"),
    "albums.photo.captioned": pgettext_lazy("audit log action", "修改相片說明"),
    "albums.photo.deleted": pgettext_lazy("audit log action", "刪除相片"),
    "honorcard.application.created": pgettext_lazy("audit log action", "申請榮譽卡"),
    "honorcard.application.cancelled": pgettext_lazy("audit log action", "取消榮譽卡申請"),
    "honorcard.application.approved": pgettext_lazy("audit log action", "核准榮譽卡申請"),
    "honorcard.application.rejected": pgettext_lazy("audit log action", "駁回榮譽卡申請"),
    "honorcard.card.issued": pgettext_lazy("audit log action", "核發榮譽卡"),
    "honorcard.card.reported_lost": pgettext_lazy("audit log action", "掛失榮譽卡"),
    "honorcard.card.replaced": pgettext_lazy("audit log action", "補發榮譽卡"),
    "honorcard.card.revoked": pgettext_lazy("audit log action", "註銷榮譽卡"),
    "honorcard.venue.created": pgettext_lazy("audit log action", "新增榮譽卡優惠場所"),
    "honorcard.venue.updated": pgettext_lazy("audit log action", "修改榮譽卡優惠場所"),
    "honorcard.venue.ended": pgettext_lazy("audit log action", "停止榮譽卡優惠場所"),
    "honorcard.venue.imported": pgettext_lazy("audit log action", "匯入榮譽卡優惠場所"),
    "honorcard.award_application.created": pgettext_lazy("audit log action", "申請獎勵"),
    "honorcard.award_application.cancelled": pgettext_lazy("audit log action", "取消獎勵申請"),
    "honorcard.award_application.approved": pgettext_lazy("audit log action", "核准獎勵申請"),
    "honorcard.award_application.rejected": pgettext_lazy("audit log action", "駁回獎勵申請"),
    "records.book_application.created": pgettext_lazy("audit log action", "申請紀錄冊"),
    "records.book_application.withdrawn": pgettext_lazy("audit log action", "撤回紀錄冊申請"),
    "records.book_application.rejected": pgettext_lazy("audit log action", "退回紀錄冊申請"),
    "records.book.issued": pgettext_lazy("audit log action", "發給紀錄冊"),
    "records.book.cancelled": pgettext_lazy("audit log action", "註銷紀錄冊"),
    "records.certificate.issued": pgettext_lazy("audit log action", "開立績效證明書"),
    "records.certificate.cancelled": pgettext_lazy("audit log action", "註銷績效證明書"),
    "eligibility.certificate_request.submitted": pgettext_lazy("audit log action", "志工申請績效證明書"),
    "eligibility.certificate_request.withdrawn": pgettext_lazy("audit log action", "志工撤回績效證明書申請"),
    "eligibility.certificate_request.approved": pgettext_lazy("audit log action", "同意績效證明書申請（一關）"),
    "eligibility.certificate_request.returned": pgettext_lazy("audit log action", "退回績效證明書申請"),
    "records.book_roster.viewed": pgettext_lazy("audit log action", "查看紀錄冊名冊"),
    "records.import.committed": pgettext_lazy("audit log action", "匯入 Excel 紀錄"),
    "records.export.downloaded": pgettext_lazy("audit log action", "匯出紀錄"),
    "people.roster.downloaded": pgettext_lazy("audit log action", "下載志工名冊"),
    "desk.unit.registered": pgettext_lazy("audit log action", "登錄運用單位"),
    "desk.unit.updated": pgettext_lazy("audit log action", "修改運用單位資料"),
    "desk.unit.operating": pgettext_lazy("audit log action", "單位恢復運作"),
    "desk.unit.closed": pgettext_lazy("audit log action", "單位停止運作"),
    "desk.unit.merged": pgettext_lazy("audit log action", "單位併入其他單位"),
    "desk.staff.invited": pgettext_lazy("audit log action", "邀請擔任工作人員"),
    "desk.staff.accepted": pgettext_lazy("audit log action", "接受工作人員角色"),
    "desk.staff.declined": pgettext_lazy("audit log action", "婉拒工作人員角色"),
    "desk.staff.ended": pgettext_lazy("audit log action", "結束工作人員角色"),
    "reports.plan.filed": pgettext_lazy("audit log action", "提報服務計畫"),
    "reports.report.filed": pgettext_lazy("audit log action", "提報成果報告"),
    "reports.report.accepted": pgettext_lazy("audit log action", "成果報告審核通過"),
    "reports.report.returned": pgettext_lazy("audit log action", "退回成果報告"),
    "reports.reminder.sent": pgettext_lazy("audit log action", "寄送成果報告提醒"),
    "courses.course.published": pgettext_lazy("audit log action", "公告教育訓練課程"),
    "courses.course.changed": pgettext_lazy("audit log action", "修改教育訓練課程"),
    "courses.course.cancelled": pgettext_lazy("audit log action", "取消教育訓練課程"),
    "courses.enrolment.created": pgettext_lazy("audit log action", "報名教育訓練課程"),
    "courses.enrolment.cancelled": pgettext_lazy("audit log action", "取消課程報名"),
    "courses.enrolment.moved_up": pgettext_lazy("audit log action", "候補遞補為正式學員"),
    "courses.attendance.taken": pgettext_lazy("audit log action", "課程點名"),
    "courses.enrolment.completed": pgettext_lazy("audit log action", "結訓並發給結業證書字號"),
    "recruitment.posting.created": pgettext_lazy("audit log action", "新增招募訊息"),
    "recruitment.posting.updated": pgettext_lazy("audit log action", "修改招募訊息"),
    "recruitment.applicants.viewed": pgettext_lazy("audit log action", "查看應徵者資料"),
    "recruitment.application.accepted": pgettext_lazy("audit log action", "錄取應徵者"),
    "recruitment.application.declined": pgettext_lazy("audit log action", "婉拒應徵者"),
}


def label(action):
    return LABELS.get(action, action)


def shown(value):
    """A word stored in an entry (a field name such as 服務時數, a choice such as 已核定) in the reader's
    language; text the catalogues do not know, such as what someone typed, is shown as it was stored."""
    return gettext(value) if isinstance(value, str) and value else value


def rows(changes):
    """(field, before, after) for each [before, after] pair of an entry's `changes`, words translated."""
    return [
        (shown(field), shown(values[0]), shown(values[1]))
        for field, values in (changes or {}).items()
        if isinstance(values, (list, tuple)) and len(values) == 2
    ]


def choices():
    """(code, label) pairs for a filter, grouped by the first part of the code."""
    return sorted(LABELS.items())
