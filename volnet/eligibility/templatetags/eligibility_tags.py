from django import template

from volnet.eligibility.engine import format_months

register = template.Library()

register.filter("months", format_months)
