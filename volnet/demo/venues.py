"""A dozen 榮譽卡優惠場所 in 臺中市 for the demo (public places that honour the card; benefits as examples)."""

import datetime as dt

from volnet.honorcard.models import Venue

C = Venue.Category
# zh-only: demo data
VENUES = [
    ("臺中市立美術館（示範）", "西區", C.CULTURE, "持卡本人免費參觀特展", "臺中市西區五權西路一段2號", "04-2372-3552",
     "週二至週日 9:00-17:00"),
    ("臺中市立圖書館總館（示範）", "西屯區", C.CULTURE, "持卡本人免費參加講座與研習", "臺中市西屯區市政路1號",
     "04-2262-5100", "週二至週日 8:30-21:00"),
    ("臺中市自然科學教育園區（示範）", "北區", C.CULTURE, "持卡本人免費入館", "臺中市北區館前路1號", "04-2322-6940",
     "週二至週日 9:00-17:00"),
    ("臺中市文化資產園區（示範）", "南區", C.CULTURE, "持卡本人免費參觀", "臺中市南區復興路三段362號", "04-2229-3079",
     "週二至週日 9:00-17:00"),
    ("大坑風景區遊客中心（示範）", "北屯區", C.SCENIC, "持卡本人免費停車一次", "臺中市北屯區東山路二段", "04-2239-0001",
     "每日 8:00-17:00"),
    ("東勢林場森林遊樂區（示範）", "東勢區", C.SCENIC, "持卡本人門票免費", "臺中市東勢區勢林街6-1號", "04-2587-2191",
     "每日 7:00-17:00"),
    ("高美濕地遊客服務中心（示範）", "清水區", C.SCENIC, "持卡本人導覽免費", "臺中市清水區美堤街", "04-2628-0001",
     "每日 9:00-18:00"),
    ("臺中市民俗公園（示範）", "北屯區", C.RECREATION, "持卡本人免費入園", "臺中市北屯區旅順路二段73號",
     "04-2245-1310", "週二至週日 8:00-17:00"),
    ("臺中市兒童藝術館（示範）", "中區", C.RECREATION, "持卡本人半價", "臺中市中區中山路1號", "04-2222-0001",
     "週三至週日 10:00-18:00"),
    ("臺中市國民運動中心游泳池（示範）", "北區", C.SPORTS, "持卡本人游泳池半價", "臺中市北區崇德路一段55號",
     "04-2231-0001", "每日 6:00-22:00"),
    ("臺中市洲際棒球場（示範）", "北屯區", C.SPORTS, "持卡本人例行賽外野免費", "臺中市北屯區崇德路三段835號",
     "04-2422-0001", "依賽程"),
    ("臺中市眷村文物館（示範）", "北屯區", C.CULTURE, "持卡本人免費參觀", "臺中市北屯區松竹路一段", "04-2243-0001",
     "週二至週日 9:00-17:00"),
]


def seed_venues(authority, today):
    """The twelve venues, valid from the start of this year for three years (idempotent by name)."""
    start = dt.date(today.year, 1, 1)
    end = dt.date(today.year + 3, 12, 31)
    for name, district, category, benefit, address, phone, hours in VENUES:
        Venue.objects.update_or_create(authority=authority, name=name, defaults={
            "city": "臺中市", "district": district, "category": category, "benefit": benefit, "address": address,
            "phone": phone, "opening_hours": hours, "valid_from": start, "valid_to": end,
            "ended_at": None, "ended_reason": ""})
