"""The gazetteer: Libya's places and districts by name, in either script and any spelling it
knows. Public reference data (data/SOURCES.md), so anyone may read it."""

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Query, Router

from ceasefire import validate as v
from ceasefire.errors import Invalid
from ceasefire.places import gazetteer
from ceasefire.text import normalise

from ..auth import PUBLIC
from ..common import reading
from ..schemas import PlacesOut

router = Router(tags=["places"])

MAX_LIMIT = 50


@router.get(
    "/places",
    auth=PUBLIC,
    response=reading(PlacesOut),
    summary="Places and districts matching a name",
    description=(
        "What `q` may name, best first: whole names, then names starting with it, then a word of a name, then a "
        "name containing it. Arabic and Latin match alike with the one normalisation (hamza, ta marbuta, alef "
        "maqsura, harakat and tatweel ignored; Latin case and accents ignored) and through the gazetteer's "
        "spelling variants (Sirte, Sirt, Surt, سرت). Each answer carries the coordinates and the geo_precision "
        "a report placed there takes. Place data © OpenStreetMap contributors (ODbL 1.0), GeoNames (CC BY 4.0), "
        "OpenFlights/DAFIF; boundaries: OCHA COD-AB Libya (UNITAR-UNOSAT, Libyan Bureau of Statistics and "
        "Census), via HDX, CC BY-IGO."
    ),
)
def places(
    request,
    q: Annotated[str, Query(description="a name, or its beginning, in Arabic or Latin letters", example="سرت")],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"at most this many (1 to {MAX_LIMIT})")] = 10,
):
    text = v.text(q, "q", max_length=100)
    if not normalise(text):
        raise Invalid(_("must contain letters or digits"), "q")
    items = gazetteer.search(text, limit)
    return {"count": len(items), "items": items}
