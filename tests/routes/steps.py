"""Routes as the route tests use them: the coastal road and a crossing with Chad, with real
gazetteer places."""

MISRATA, ABU_GREIN, SIRTE = "osm:n5431087789", "osm:n1185649367", "osm:n299616414"
SHWERIF, SEBHA = "osm:n1193620130", "osm:n260716549"
TUMMO = "site:tumu-crossing"

COASTAL = {
    "kind": "road",
    "name_en": "Coastal road Misrata–Sirte",
    "name_ar": "الطريق الساحلي مصراتة–سرت",
    "aliases": ["coastal road", "الطريق الساحلي"],
    "places": [MISRATA, ABU_GREIN, SIRTE],
    "source": "https://almarsad.co/en/2021/07/30/55-joint-military-committee-officially-announces-reopening-today-of-the-coastal-road/",
}
CROSSING = {
    "kind": "crossing",
    "name_en": "Tummo border post",
    "places": [TUMMO],
    "neighbour": "niger",
    "source": "gazetteer",
}
OPEN = {
    "status": "restricted",
    "since": "2021-07-30",
    "conditions_en": "No military convoys; official delegations coordinate in advance.",
    "ordered_by_en": "The 5+5 Joint Military Commission",
    "source": "https://almarsad.co/en/2021/07/30/",
}
