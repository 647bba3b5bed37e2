"""The filing form's place suggestions: an htmx fragment for the text typed in the place box. The
form works without it (a place typed as text, coordinates typed as numbers); with it, choosing a
suggestion fills the coordinates and their precision (site.js)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ceasefire import validate as v
from ceasefire.errors import Invalid
from ceasefire.places import gazetteer

SHOWN = 8
KINDS = {
    "city": _("city"),
    "town": _("town"),
    "village": _("village"),
    "airport": _("airport"),
    "airbase": _("air base"),
    "oil_terminal": _("oil terminal"),
    "oil_field": _("oil field"),
    "border_crossing": _("border crossing"),
    "port": _("port"),
    "district": _("district: the area only"),
}

# A district chosen as the place: named as a district, in each language (the names are data).
DISTRICT_AR, DISTRICT_EN = "شعبية {}", "{} district"


@login_required
def place_suggestions(request):
    try:
        typed = v.text(request.GET.get("place", ""), "place", max_length=100)
    except Invalid:
        typed = ""  # nothing to suggest for what cannot be a place; the command names the error on filing
    matches = gazetteer.search(typed, SHOWN) if typed else []
    arabic = (get_language() or "ar").startswith("ar")
    items = []
    for m in matches:
        district = m.kind == "district"
        place_ar = DISTRICT_AR.format(m.name_ar) if district and m.name_ar else m.name_ar
        place_en = DISTRICT_EN.format(m.name_en) if district and m.name_en else m.name_en
        items.append(
            {
                "match": m,
                "place_ar": place_ar,
                "place_en": place_en,
                "name": (place_ar or place_en) if arabic else (place_en or place_ar),  # what the box shows once chosen
                "kind": KINDS.get(m.kind, m.kind),
                "district": None if district else (m.district.name_ar if arabic else m.district.name_en),
                "variant": m.matched not in (m.name_ar, m.name_en),
            }
        )
    return render(request, "web/places/_suggestions.html", {"items": items, "typed": typed})
