"""The agency directory: read by everyone signed in, changed by partnership administrators."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from hiddenharm.accounts import access
from hiddenharm.accounts.models import Organisation
from hiddenharm.partnership import directory as listing
from hiddenharm.partnership import progress, services
from hiddenharm.partnership.directory import directory_kind
from hiddenharm.partnership.forms import DirectoryEntryForm, DirectorySearchForm
from hiddenharm.partnership.models import DirectoryEntry


@access.role_required(*access.DIRECTORY_ROLES)
def directory(request):
    form = DirectorySearchForm(request.GET or None)
    q = kind = ""
    if form.is_valid():
        q, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    rows = listing.listing(q, kind)
    return render(
        request,
        "partnership/directory.html",
        {
            "title": "Agency directory",
            "form": form,
            "rows": rows,
            "q": q,
            "kinds": DirectoryEntry.Kind.choices,
            "kind": kind,
            "can_change": access.can_change_directory(request.user),
        },
    )


def _save(request, form, entry=None):
    data = dict(form.cleaned_data)
    version = data.pop("version")
    if entry is None:
        return services.create_entry(request.user, **data)
    return services.update_entry(request.user, entry.pk, version=version or 0, **data)


def _page(request, form, title, entry=None, stale=None):
    return render(
        request,
        "partnership/directory_form.html",
        {
            "form": form,
            "title": title,
            "entry": entry,
            "stale": stale,
            "back_url": reverse("partnership:directory"),
            "history": progress.history(None, f"directory:{entry.pk}")[:10] if entry else [],
        },
    )


@access.role_required(*access.DIRECTORY_WRITE_ROLES)
def directory_add(request):
    raw = request.GET.get("organisation", "")  # "add contact details" for one of ours
    org = Organisation.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    initial = {"organisation": org, "kind": directory_kind(org)} if org else {}
    form = DirectoryEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        entry = _save(request, form)
        messages.success(request, f"{entry.display_name} added to the directory")
        return redirect("partnership:directory")
    return _page(request, form, "Add a service to the directory")


def _initial(entry: DirectoryEntry) -> dict:
    fields = services.DIRECTORY_FIELDS
    return {**{f: getattr(entry, f) for f in fields}, "version": entry.version}


@access.role_required(*access.DIRECTORY_WRITE_ROLES)
def directory_edit(request, entry_id: int):
    entry = get_object_or_404(DirectoryEntry.objects.select_related("organisation"), pk=entry_id)
    form = DirectoryEntryForm(request.POST or None, initial=_initial(entry))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            entry = _save(request, form, entry)
        except services.StaleEdit as e:
            entry.refresh_from_db()
            form, stale = DirectoryEntryForm(initial=_initial(entry)), str(e)
        else:
            messages.success(request, f"{entry.display_name} saved")
            return redirect("partnership:directory")
    return _page(request, form, f"Change {entry.display_name}", entry, stale)
