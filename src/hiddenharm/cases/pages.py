"""What the case views share: the GOV.UK form page and the way back to a client."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse


def client_back(client) -> str:
    """The client's record: where every form about them goes back to."""
    return reverse("cases:client_detail", args=[client.pk])


def form_page(request, form, title: str, caption: str, back_url: str, **extra):
    """A form on the shared GOV.UK page (cases/form.html, or `template=`)."""
    template = extra.pop("template", "cases/form.html")
    context = {"form": form, "title": title, "caption": caption, "back_url": back_url}
    return render(request, template, {**context, **extra})
