"""Masks for personal data: 國發會 guidance masks the last 4 characters of an ID number."""


def mask_id(number):
    """`E122333441` → `E12233****`."""
    if not number:
        return ""
    number = str(number)
    keep = max(len(number) - 4, 0)
    return number[:keep] + "*" * (len(number) - keep)


def mask_name(name):
    """王小明 → 王○明, 王明 → 王○, 歐陽小明 → 歐○○明; Latin names keep the first letter of each word."""
    if not name:
        return ""
    name = str(name).strip()
    if " " in name:
        return " ".join(part[:1] + "○" * (len(part) - 1) for part in name.split())
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "○"
    return name[0] + "○" * (len(name) - 2) + name[-1]


def person_label(name, number, hide_name=False):
    """How a list names someone: `測試熊（E12233****）`; `hide_name`: `測○熊（E12233****）`, for someone who
    has not accepted the unit reading it (domain.md §9.12)."""
    return f"{mask_name(name) if hide_name else name}（{mask_id(number)}）"


def mask_email(address):
    """`bear@example.com` → `b***@example.com`: enough to recognise, not to harvest."""
    if not address or "@" not in address:
        return ""
    local, domain = address.rsplit("@", 1)
    return f"{local[:1]}***@{domain}"
