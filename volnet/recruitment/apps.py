from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "volnet.recruitment"
    verbose_name = "招募"
