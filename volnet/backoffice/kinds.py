"""The kinds of entries a unit keeps about its volunteers, and what the generic record pages need
to know about each: its model, form, service functions, names and the date used to filter it."""

from dataclasses import dataclass
from typing import Any

from volnet.lib import hours, rocdate
from volnet.records import forms, services
from volnet.records.models import Award, InsurancePolicy, OtherItem, ServiceRecord, TrainingRecord


@dataclass(frozen=True)
class Kind:
    slug: str  # url names: f"{slug}_add", f"{slug}_edit", …
    path: str  # under /backoffice/
    list_name: str  # url name of the list (the menu item)
    title: str  # 服務時數
    noun: str  # 一筆服務時數
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

    def summary(self, record):
        """One line a person recognises the entry by (ROC dates, hours as the manual prints them)."""
        return _SUMMARIES[self.slug](record)

    @property
    def object_type(self):
        return self.model._meta.label_lower

    @property
    def menu(self):
        return self.list_name


def _span(start, end):
    return rocdate.format(start) if not end or end == start else rocdate.format_range(start, end)


_SUMMARIES = {
    "service": lambda r: f"{r.service_item}／{r.content}／{_span(r.start_date, r.end_date)}／"
    f"{hours.format_hours(r.hours)} 小時",
    "training": lambda r: f"{r.get_kind_display()}／{r.course}／{_span(r.start_date, r.end_date)}／"
    f"{hours.format_minutes(r.minutes)}",
    "insurance": lambda r: f"{r.insurer}／保單 {r.policy_number}／{_span(r.start_date, r.end_date)}",
    "other_item": lambda r: f"{r.title}／{_span(r.start_date, r.end_date)}",
    "award": lambda r: f"{r.name}{(' ' + r.level) if r.level else ''}／{rocdate.format(r.awarded_on)}",
}

KINDS = {
    kind.slug: kind
    for kind in (
        Kind(
            slug="service", path="services/", list_name="services", title="服務時數", noun="一筆服務時數",
            model=ServiceRecord, form_class=forms.ServiceRecordForm, add=services.add_service,
            update=services.update_service, delete=services.delete_service, start_field="start_date",
            end_field="end_date", order=("-start_date", "-end_date", "-id"),
        ),
        Kind(
            slug="training", path="trainings/", list_name="trainings", title="教育訓練", noun="一筆教育訓練",
            model=TrainingRecord, form_class=forms.TrainingRecordForm, add=services.add_training,
            update=services.update_training, delete=services.delete_training, start_field="start_date",
            end_field="end_date", order=("-start_date", "-id"),
        ),
        Kind(
            slug="insurance", path="insurance/", list_name="insurance", title="志工保險", noun="一張保單",
            model=InsurancePolicy, form_class=forms.InsurancePolicyForm, add=services.add_policy,
            update=services.update_policy, delete=services.delete_policy, start_field="start_date",
            end_field="end_date", record_kwarg="policy", has_volunteer=False, order=("-start_date", "-id"),
        ),
        Kind(
            slug="other_item", path="other-items/", list_name="other_items", title="其他登錄事項",
            noun="一筆其他登錄事項", model=OtherItem, form_class=forms.OtherItemForm, add=services.add_other_item,
            update=services.update_other_item, delete=services.delete_other_item, start_field="start_date",
            end_field="end_date", order=("-start_date", "-id"),
        ),
        Kind(
            slug="award", path="awards/", list_name="awards", title="獎勵紀錄", noun="一筆獎勵紀錄", model=Award,
            form_class=forms.AwardForm, add=services.add_award, update=services.update_award,
            delete=services.delete_award, start_field="awarded_on", order=("-awarded_on", "-id"),
        ),
    )
}

BY_OBJECT_TYPE = {kind.object_type: kind for kind in KINDS.values()}
