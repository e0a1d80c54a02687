"""The public page behind the e-mailed link: a participant confirms or disputes the
minutes without logging in. The signed token is the only credential."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clientfolio.comms import services
from clientfolio.comms.forms import RespondForm

__all__ = ["confirm"]


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        participant = services.read_token(token)
    except services.LinkError as error:
        return render(
            request,
            "comms/confirm_invalid.html",
            {"message": error.message, "kind": error.kind},
            status=error.status,
        )
    record = participant.record
    form = RespondForm(request.POST or None, initial={"comment": participant.comment})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.respond(
                    participant,
                    form.cleaned_data["state"],
                    form.cleaned_data["comment"],
                )
            except services.CommsError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, error.message
                )
            else:
                messages.success(request, _("Thank you: your answer was recorded."))
                return redirect(request.path)
        status = 400
    context = {
        "participant": participant,
        "record": record,
        "project": record.project,
        "participants": list(
            record.participants.select_related("user", "contact").order_by("id")
        ),
        "form": form,
    }
    return render(request, "comms/confirm.html", context, status=status)
