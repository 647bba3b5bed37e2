"""One report and its path along the verification chain, as the domain, API and page tests use them."""

import os

# A report as west-member files it: shelling alleged against the east, near Sirte.
REPORT = {
    "title": "Shelling near Abu Qurayn",
    "category": "shelling",
    "occurred_at": "2021-03-02T05:40+02:00",
    "latitude": 31.45,
    "longitude": 15.25,
    "geo_precision": 2,
    "place_en": "Abu Qurayn",
    "place_ar": "أبو قرين",
    "alleged_party": "east",
    "affected_party": "west",
    "narrative": "Three rounds of artillery fell 2 km east of the checkpoint.",
    "casualties": [{"kind": "injured", "group": "civilian", "count": 2, "source": "local clinic"}],
}
TEAM = ["west-member", "east-member"]
INVESTIGATION = {
    "site_visited": True,
    "visited_on": "2021-03-04",
    "access": "granted",
    "methods": "Crater analysis, interviews",
}
FINDINGS = {
    "findings": [
        {
            "allegation": "Shelling by the east",
            "result": "violation",
            "attributed_to": "east",
            "reasoning": "Three craters facing east",
            "recommendations": [{"addressee_party": "east", "text": "Withdraw the battery", "due_on": "2021-04-01"}],
        }
    ]
}


# An upload as a browser sends it, for the tests of what the multipart parser cannot read.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def multipart(name: str, content: bytes) -> bytes:
    """The body a browser sends (Django's test client would shorten the name to 255 characters)."""
    head = f'--B\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: image/png\r\n\r\n'
    return head.encode() + content + b"\r\n--B--\r\n"


def stored(settings) -> set:
    return {os.path.join(d, f) for d, _, files in os.walk(settings.EVIDENCE_DIR) for f in files}
