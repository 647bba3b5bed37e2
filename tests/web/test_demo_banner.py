"""A demonstration instance says so on every page, in both languages."""

import pytest
from django.test import override_settings
from django.urls import reverse

from .pages import read_pages

pytestmark = pytest.mark.django_db

EN = "EXERCISE</strong> — demonstration instance: accounts and anything entered here are made up"
AR = "تمرين</strong> — نسخة للعرض التوضيحي"


@override_settings(DEMO=True)
def test_every_page_carries_the_banner_in_both_languages(world, clients, client):
    pages = [clients["observer"].get(url) for url in read_pages(world)] + [client.get(reverse("login"))]
    for response in pages:
        html = response.content.decode()
        assert EN in html and AR in html, response.request["PATH_INFO"]


@override_settings(DEMO=False)
def test_no_banner_on_a_real_instance(world, clients):
    html = clients["observer"].get(reverse("dashboard")).content.decode()
    assert "EXERCISE" not in html and "تمرين" not in html
