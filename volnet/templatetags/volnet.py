"""Filters every template may use without {% load %}: ROC dates, hours, masks, lists."""

from django import template

from volnet.lib import hours, masking, rocdate, words

register = template.Library()

register.filter("roc", rocdate.format)
register.filter("roc_datetime", rocdate.format_datetime)
register.filter("minutes", hours.format_minutes)
register.filter("hours", hours.format_hours)
register.filter("mask_id", masking.mask_id)
register.filter("mask_name", masking.mask_name)
register.filter("mask_email", masking.mask_email)
register.filter("join_list", words.join_list)


@register.filter
def roc_range(start, end):
    return rocdate.format_range(start, end)
