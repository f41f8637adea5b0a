from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.core.forms import submit

from . import selectors, services
from .forms import TargetForm
from .models import Target


def dashboard(request):
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    try:
        year = selectors.parse_year(request.GET.get("year"), today)
    except ValueError:
        context = {"error": _("“%(value)s” is not a year this dashboard can show.") % {"value": request.GET.get("year")}}
        return render(request, "kpis/dashboard.html", {**context, "years": _years(today)}, status=400)
    context = {
        **selectors.dashboard(year, request.user),
        "years": _years(today),
        "can_set_targets": request.user.has_perm("kpis.change_target"),
    }
    return render(request, "kpis/dashboard.html", context)


def _years(today) -> list[int]:
    return list(range(today.year + 1, today.year - 6, -1))


@login_required
def target_form(request, pk=None):
    if not request.user.has_perm("kpis.change_target"):
        raise PermissionDenied
    target = get_object_or_404(Target, pk=pk) if pk else None
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        saved = submit(form, lambda: services.save_target(by=request.user, data=form.service_data(), target=target))
        if not form.errors:
            messages.success(request, _("The target is saved."))
            return redirect(saved)
    return render(request, "kpis/target_form.html", {"form": form, "target": target})


@login_required
@require_POST
def target_delete(request, pk):
    target = get_object_or_404(Target, pk=pk)
    services.delete_target(by=request.user, target=target)
    messages.success(request, _("The target is deleted."))
    return redirect(f"{target.get_absolute_url()}")
