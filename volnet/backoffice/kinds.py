"""The kinds of entries a unit keeps about its volunteers, and what the generic record pages need
to know about each: its model, form, service functions, names and the date used to filter it."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from volnet.records import forms, services, summaries
from volnet.records.models import Award, InsurancePolicy, OtherItem, ServiceRecord, TrainingRecord


@dataclass(frozen=True)
class Words:
    """Every phrase a page says about one kind, whole: a sentence is never glued from a translated
    noun, so each language can word (and inflect) it as it needs."""

    title: Any  # 服務時數
    noun: Any  # 一筆服務時數
    add: Any  # 新增服務時數
    edit: Any  # 更正服務時數
    delete: Any  # 刪除服務時數
    delete_question: Any  # 刪除一筆服務時數？
    history: Any  # 服務時數修改歷程
    back_to_list: Any  # 回服務時數列表
    search: Any  # 查詢服務時數
    added: Any  # 已新增一筆服務時數。
    corrected: Any  # 已更正一筆服務時數，…
    deleted: Any  # 已刪除一筆服務時數；…


@dataclass(frozen=True)
class Kind:
    slug: str  # url names: f"{slug}_add", f"{slug}_edit", …
    path: str  # under /backoffice/
    list_name: str  # url name of the list (the menu item)
    words: Words
    model: Any
    form_class: Any
    add: Any
    update: Any
    delete: Any
    start_field: str
    end_field: str | None = None
    record_kwarg: str = "record"  # what the form calls the entry being corrected
    has_volunteer: bool = True
    order: tuple = ("-id",)
    # May be entered for someone the unit asked to join who has not answered (domain.md §9.12).
    while_asked: bool = False

    @property
    def title(self):
        return self.words.title

    @property
    def noun(self):
        return self.words.noun

    def summary(self, record):
        """One line a person recognises the entry by (ROC dates, hours as the manual prints them)."""
        return summaries.summary(self.slug, record)

    @property
    def object_type(self):
        return self.model._meta.label_lower

    @property
    def menu(self):
        return self.list_name


SERVICE_WORDS = Words(
    title=gettext_lazy("服務時數"),
    noun=gettext_lazy("一筆服務時數"),
    add=gettext_lazy("新增服務時數"),
    edit=gettext_lazy("更正服務時數"),
    delete=gettext_lazy("刪除服務時數"),
    delete_question=gettext_lazy("刪除一筆服務時數？"),
    history=gettext_lazy("服務時數修改歷程"),
    back_to_list=gettext_lazy("回服務時數列表"),
    search=gettext_lazy("查詢服務時數"),
    added=gettext_lazy("已新增一筆服務時數。"),
    corrected=gettext_lazy("已更正一筆服務時數，修改前後的內容已記錄在修改歷程中。"),
    deleted=gettext_lazy("已刪除一筆服務時數；刪除前的內容保留在修改歷程中。"),
)
TRAINING_WORDS = Words(
    title=gettext_lazy("教育訓練"),
    noun=gettext_lazy("一筆教育訓練"),
    add=gettext_lazy("新增教育訓練"),
    edit=gettext_lazy("更正教育訓練"),
    delete=gettext_lazy("刪除教育訓練"),
    delete_question=gettext_lazy("刪除一筆教育訓練？"),
    history=gettext_lazy("教育訓練修改歷程"),
    back_to_list=gettext_lazy("回教育訓練列表"),
    search=gettext_lazy("查詢教育訓練"),
    added=gettext_lazy("已新增一筆教育訓練。"),
    corrected=gettext_lazy("已更正一筆教育訓練，修改前後的內容已記錄在修改歷程中。"),
    deleted=gettext_lazy("已刪除一筆教育訓練；刪除前的內容保留在修改歷程中。"),
)
INSURANCE_WORDS = Words(
    title=gettext_lazy("志工保險"),
    noun=gettext_lazy("一張保單"),
    add=gettext_lazy("新增志工保險"),
    edit=gettext_lazy("更正志工保險"),
    delete=gettext_lazy("刪除志工保險"),
    delete_question=gettext_lazy("刪除一張保單？"),
    history=gettext_lazy("志工保險修改歷程"),
    back_to_list=gettext_lazy("回志工保險列表"),
    search=gettext_lazy("查詢志工保險"),
    added=gettext_lazy("已新增一張保單。"),
    corrected=gettext_lazy("已更正一張保單，修改前後的內容已記錄在修改歷程中。"),
    deleted=gettext_lazy("已刪除一張保單；刪除前的內容保留在修改歷程中。"),
)
OTHER_ITEM_WORDS = Words(
    title=gettext_lazy("其他登錄事項"),
    noun=gettext_lazy("一筆其他登錄事項"),
    add=gettext_lazy("新增其他登錄事項"),
    edit=gettext_lazy("更正其他登錄事項"),
    delete=gettext_lazy("刪除其他登錄事項"),
    delete_question=gettext_lazy("刪除一筆其他登錄事項？"),
    history=gettext_lazy("其他登錄事項修改歷程"),
    back_to_list=gettext_lazy("回其他登錄事項列表"),
    search=gettext_lazy("查詢其他登錄事項"),
    added=gettext_lazy("已新增一筆其他登錄事項。"),
    corrected=gettext_lazy("已更正一筆其他登錄事項，修改前後的內容已記錄在修改歷程中。"),
    deleted=gettext_lazy("已刪除一筆其他登錄事項；刪除前的內容保留在修改歷程中。"),
)
AWARD_WORDS = Words(
    title=gettext_lazy("獎勵紀錄"),
    noun=gettext_lazy("一筆獎勵紀錄"),
    add=gettext_lazy("新增獎勵紀錄"),
    edit=gettext_lazy("更正獎勵紀錄"),
    delete=gettext_lazy("刪除獎勵紀錄"),
    delete_question=gettext_lazy("刪除一筆獎勵紀錄？"),
    history=gettext_lazy("獎勵紀錄修改歷程"),
    back_to_list=gettext_lazy("回獎勵紀錄列表"),
    search=gettext_lazy("查詢獎勵紀錄"),
    added=gettext_lazy("已新增一筆獎勵紀錄。"),
    corrected=gettext_lazy("已更正一筆獎勵紀錄，修改前後的內容已記錄在修改歷程中。"),
    deleted=gettext_lazy("已刪除一筆獎勵紀錄；刪除前的內容保留在修改歷程中。"),
)

KINDS = {
    kind.slug: kind
    for kind in (
        Kind(
            slug="service", path="services/", list_name="services", words=SERVICE_WORDS,
            model=ServiceRecord, form_class=forms.ServiceRecordForm, add=services.add_service,
            update=services.update_service, delete=services.delete_service, start_field="start_date",
            end_field="end_date", order=("-start_date", "-end_date", "-id"), while_asked=True,
        ),
        Kind(
            slug="training", path="trainings/", list_name="trainings", words=TRAINING_WORDS,
            model=TrainingRecord, form_class=forms.TrainingRecordForm, add=services.add_training,
            update=services.update_training, delete=services.delete_training, start_field="start_date",
            end_field="end_date", order=("-start_date", "-id"), while_asked=True,
        ),
        Kind(
            slug="insurance", path="insurance/", list_name="insurance", words=INSURANCE_WORDS,
            model=InsurancePolicy, form_class=forms.InsurancePolicyForm, add=services.add_policy,
            update=services.update_policy, delete=services.delete_policy, start_field="start_date",
            end_field="end_date", record_kwarg="policy", has_volunteer=False, order=("-start_date", "-id"),
        ),
        Kind(
            slug="other_item", path="other-items/", list_name="other_items", words=OTHER_ITEM_WORDS,
            model=OtherItem, form_class=forms.OtherItemForm, add=services.add_other_item,
            update=services.update_other_item, delete=services.delete_other_item, start_field="start_date",
            end_field="end_date", order=("-start_date", "-id"),
        ),
        Kind(
            slug="award", path="awards/", list_name="awards", words=AWARD_WORDS, model=Award,
            form_class=forms.AwardForm, add=services.add_award, update=services.update_award,
            delete=services.delete_award, start_field="awarded_on", order=("-awarded_on", "-id"),
        ),
    )
}

BY_OBJECT_TYPE = {kind.object_type: kind for kind in KINDS.values()}
