"""Courses for tests: a basic course of unit A in a week's time, open for enrolment today."""

import datetime as dt

from volnet.courses import services
from volnet.courses.services import SessionInput


def basic_sessions(first, start=dt.time(9), subjects=services.BASIC_SUBJECTS):
    """The three set courses on three days from `first`, two hours each."""
    return [SessionInput(subject=name, date=first + dt.timedelta(days=n), starts_at=start,
                         ends_at=dt.time(start.hour + minutes // 60, start.minute), minutes=minutes)
            for n, (name, minutes) in enumerate(subjects)]


def course_fields(today, **extra):
    fields = dict(kind="basic", category="", title="115年度志願服務基礎訓練", description="三門課程，共 6 小時。",
                  place="臺中市政府社會局 3 樓會議室", online_url="", capacity=10, audience="anyone",
                  enrol_from=today, enrol_until=today + dt.timedelta(days=5), contact_name="何小倫",
                  contact_phone="04-22289111", contact_email="course@example.tw")
    fields.update(extra)
    return fields


def publish(actor, today, *, unit=None, authority=None, sessions=None, **extra):
    sessions = sessions if sessions is not None else basic_sessions(today + dt.timedelta(days=7))
    return services.publish(actor, unit=unit, authority=authority, sessions=sessions, today=today,
                            **course_fields(today, **extra))
