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


def correct_page(
    request,
    *,
    obj,
    make_form,
    save,
    title: str,
    caption: str,
    back_url: str,
    done: str,
    **extra,
):
    """The page that corrects a record: its form, its history, and the stale-edit check.

    `make_form(data)` builds the form (bound to `data`, or unbound from the record);
    `save(form)` calls the service. A save refused because someone else saved first shows
    both versions, theirs and the one typed, and asks again: the form keeps what was typed
    and now carries the current version, so saving it again is a decision, not an accident.
    """
    from django.contrib import messages
    from django.shortcuts import redirect

    from hiddenharm.cases import history, services

    form = make_form(request.POST if request.method == "POST" else None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except services.Conflict as e:
            conflict = {
                "current": e.current,
                "rows": history.current_values(form, e.current),
            }
            data = request.POST.copy()
            data["version"] = str(e.current.version)
            form = make_form(data)
            form.is_valid()
        except services.Clash as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, done)
            return redirect(back_url)
    context = {
        "conflict": conflict,
        "versions": history.versions(obj),
    }
    return form_page(
        request,
        form,
        title,
        caption,
        back_url,
        template="cases/correct_form.html",
        **context,
        **extra,
    )
