"""Our own CSS and JS, and htmx from django-htmx's package: served by us, nothing from a CDN."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_load_scripts_and_styles_from_this_server_only(world, clients):
    html = clients["observer"].get(reverse("meeting", args=[world["past"].reference])).content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert "/static/django_htmx/htmx-2.min.js" in assets
    assert "/static/web/site.css" in assets and "/static/web/site.js" in assets
    assert all(a.startswith("/static/") for a in assets), assets


def test_the_assets_are_served(db):
    c = Client()
    for path in (
        "/static/django_htmx/htmx-2.min.js",
        "/static/web/site.css",
        "/static/web/site.js",
        "/static/web/favicon.svg",
    ):
        response = c.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, path


def test_htmx_swaps_refusals_so_the_user_sees_why(client):
    html = client.get(reverse("login")).content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html).group(1)
    assert '"403|409|422","swap":true' in config
