"""What each audit action code means, in the words the log page shows.

Apps record dotted codes (`records.service.updated`); codes not listed here are shown as they are.
"""

LABELS = {
    "backoffice.volunteer.viewed": "查看志工個人資料",
    "backoffice.volunteer.created": "新增志工帳號",
    "backoffice.volunteer.updated": "修改志工聯絡資料",
    "backoffice.membership.created": "加入本單位",
    "backoffice.membership.ended": "結束服務（離隊）",
    "backoffice.password.temporary_set": "設定臨時密碼",
    "backoffice.password.reset_link_sent": "寄送重設密碼連結",
    "accounts.password.temporary": "設定臨時密碼（帳號）",
    "accounts.password.reset_link": "寄送重設密碼連結（帳號）",
    "accounts.password.change": "變更密碼",
    "accounts.signup": "加入會員",
    "accounts.signup.verified": "完成信箱驗證",
    "portal.profile.updated": "志工修改聯絡資料",
    "portal.email.change_requested": "志工申請變更電子信箱",
    "portal.email.changed": "志工完成電子信箱變更",
    "portal.photo.updated": "志工更新大頭照",
    "records.service.created": "新增服務時數",
    "records.service.updated": "更正服務時數",
    "records.service.deleted": "刪除服務時數",
    "records.service.reported": "志工自行填報時數",
    "records.service.withdrawn": "志工撤回填報",
    "records.service.approved": "核定自行填報時數",
    "records.service.declined": "退回自行填報時數",
    "records.training.created": "新增教育訓練",
    "records.training.updated": "更正教育訓練",
    "records.training.deleted": "刪除教育訓練",
    "records.insurance.created": "新增志工保險",
    "records.insurance.updated": "更正志工保險",
    "records.insurance.deleted": "刪除志工保險",
    "records.other_item.created": "新增其他登錄事項",
    "records.other_item.updated": "更正其他登錄事項",
    "records.other_item.deleted": "刪除其他登錄事項",
    "records.award.created": "新增獎勵紀錄",
    "records.award.updated": "更正獎勵紀錄",
    "records.award.deleted": "刪除獎勵紀錄",
}


def label(action):
    return LABELS.get(action, action)


def choices():
    """(code, label) pairs for a filter, grouped by the first part of the code."""
    return sorted(LABELS.items())
