"""Pages of the client library. Each view fetches through the permission layer, binds a
form and calls one service."""

import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from clientfolio.clients import exchange, services, tasks
from clientfolio.clients.filters import ClientFilter
from clientfolio.clients.forms import (
    CLIENT_AWARE_FORMS,
    RECORD_FORMS,
    ClientForm,
    ContactFormSet,
)
from clientfolio.clients.models import (
    Client,
    Contact,
    Contract,
    Feedback,
    FollowUp,
    Payment,
    Requirement,
)
from clientfolio.clients.panels import client_panels
from clientfolio.core import caching, history
from clientfolio.core.deletion import REFUSALS, refusal_message
from clientfolio.core.jobs import start_job
from clientfolio.core.locking import StaleVersion
from clientfolio.core.models import Job
from clientfolio.core.permissions import Action, can, role_of, scope
from clientfolio.core.views import PermissionMixin, ScopedObjectMixin, conflict_response

PAGE_SIZES = (25, 50, 100)


def _filtered_clients(request, queryset):
    filterset = ClientFilter(request.GET or None, queryset=queryset, request=request)
    return filterset, filterset.qs


SEARCH_ID_LIMIT = 5000


class CountCachedPaginator(Paginator):
    """A paginator whose count (a scan of up to 100,000 clients) is cached under the
    client library's generation, by the filters that decide it and the reader's role;
    every write to a client bumps the generation (``clients.querysets.clients_written``)."""

    def __init__(self, object_list, per_page, *, key):
        super().__init__(object_list, per_page)
        self.key = key

    @cached_property
    def count(self) -> int:
        return caching.cached(
            ("client-count", *self.key),
            lambda: self.object_list.count(),  # type: ignore[attr-defined]
            caching.generation("clients"),
        )


def _count_key(request) -> tuple[str, str]:
    """What decides the count of the client list: the filters (not the page, the order or
    the page size) and the reader's role (the scope of the client library)."""
    params = sorted(
        (key, value)
        for key, values in request.GET.lists()
        if key not in ("page", "sort", "per_page")
        for value in values
    )
    digest = hashlib.sha256(repr(params).encode()).hexdigest()[:24]
    return str(role_of(request.user)), digest


def _paginate(filterset, base, queryset, per_page, number, count_key=None):
    """The requested page of ``queryset``.

    A search cannot use an index, so counting and then fetching a page would scan the table
    twice. For a search with up to SEARCH_ID_LIMIT hits, collect the matching ids in order
    with one scan, then count and page over them; broader searches page as usual.
    """
    searching = (
        filterset.is_bound
        and filterset.form.is_valid()
        and filterset.form.cleaned_data.get("q")
    )
    if searching:
        ids = list(queryset.values_list("pk", flat=True)[: SEARCH_ID_LIMIT + 1])
        if len(ids) <= SEARCH_ID_LIMIT:
            page = Paginator(ids, per_page).get_page(number)
            rows = {c.pk: c for c in base.filter(pk__in=list(page.object_list))}
            page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
            return page
    if count_key is not None:
        return CountCachedPaginator(queryset, per_page, key=count_key).get_page(number)
    return Paginator(queryset, per_page).get_page(number)


class ClientListView(PermissionMixin, View):
    model = Client

    def get(self, request):
        base = scope(request.user, Client.objects.for_list())
        filterset, queryset = _filtered_clients(request, base)
        try:
            per_page = int(request.GET.get("per_page", 25))
        except ValueError:
            per_page = 25
        per_page = per_page if per_page in PAGE_SIZES else 25
        page = _paginate(
            filterset,
            base,
            queryset,
            per_page,
            request.GET.get("page"),
            _count_key(request),
        )
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "filter": filterset,
            "page": page,
            "clients": page.object_list,
            "query": query.urlencode(),
            "sort": request.GET.get("sort", "name"),
            "can_add": can(request.user, Action.ADD, Client),
            "can_import": can(request.user, Action.IMPORT, Client),
            "can_export": can(request.user, Action.EXPORT, Client),
            "showing_archived": filterset.form.cleaned_data.get("archived")
            if filterset.is_bound and filterset.form.is_valid()
            else None,
            "page_sizes": PAGE_SIZES,
            "per_page": per_page,
        }
        template = (
            "clients/partials/client_table.html"
            if request.htmx and not request.htmx.history_restore_request
            else "clients/client_list.html"
        )
        response = render(request, template, context)
        # Same URL, partial or full page: keep the browser cache from serving the
        # partial on Back (hx-push-url).
        patch_vary_headers(response, ["HX-Request"])
        return response


class ClientDetailView(ScopedObjectMixin, DetailView):
    model = Client
    template_name = "clients/client_detail.html"

    def base_queryset(self):
        return (
            Client.objects.with_tier().select_related("owner").prefetch_related("tags")
        )

    def get_context_data(self, **kwargs):
        client = self.object
        user = self.request.user
        today = timezone.localdate()
        # Contracts and payments are finance data: shown to those who handle the money.
        sees_money = can(user, Action.VIEW, Contract(client=client))
        contracts = (
            list(
                scope(user, client.contracts.all())
                .annotate(paid=Sum("payments__amount"), payment_count=Count("payments"))
                .order_by("-signed_on", "-id")
            )
            if sees_money
            else []
        )
        payments = (
            list(
                scope(user, Payment.objects.filter(contract__client=client))
                .select_related("contract", "invoice")
                .order_by("-received_on", "-id")[:20]
            )
            if sees_money
            else []
        )
        totals: dict[str, dict] = {}
        for contract in contracts:
            entry = totals.setdefault(contract.currency, {"contracted": 0, "paid": 0})
            entry["contracted"] += contract.amount
            entry["paid"] += contract.paid or 0
        for entry in totals.values():
            entry["outstanding"] = entry["contracted"] - entry["paid"]
        follow_ups = list(client.follow_ups.select_related("contact", "owner"))
        for follow_up in follow_ups:
            follow_up.overdue = follow_up.is_overdue(today)
        contract_ids = scope(user, Contract.objects.filter(client=client)).values("pk")
        payment_ids = scope(
            user, Payment.objects.filter(contract__client=client)
        ).values("pk")
        money_history = [
            Contract.history.filter(id__in=contract_ids),
            Payment.history.filter(id__in=payment_ids),
        ]
        entries = history.entries_for(
            [
                Client.history.filter(id=client.pk),
                Contact.history.filter(client_id=client.pk),
                Requirement.history.filter(client_id=client.pk),
                *(money_history if sees_money else []),
                Feedback.history.filter(client_id=client.pk),
                FollowUp.history.filter(client_id=client.pk),
            ],
            limit=25,
        )
        return super().get_context_data(
            contacts=list(client.contacts.all()),
            requirements=list(client.requirements.select_related("submitted_by")),
            sees_money=sees_money,
            contracts=contracts,
            payments=payments,
            # Finance and projects build on the client library: their rows come
            # through the reverse relations and finance's app config, not imports.
            client_invoices=services.finance_app().client_invoices(user, client)
            if sees_money
            else [],
            totals=totals,
            feedback_list=list(client.feedback.select_related("contact")),
            follow_ups=follow_ups,
            history_entries=entries,
            client_panels=client_panels(self.request, client),
            projects=list(
                scope(self.request.user, client.projects.all())
                .select_related("manager")
                .order_by("-starts_on", "-id")
            ),
            can_add_project=can(user, Action.ADD, "projects.project"),
            can_change=can(user, Action.CHANGE, client),
            can_delete=can(user, Action.DELETE, client),
            can_purge=can(user, Action.PURGE, client),
            **kwargs,
        )


def _duplicates(form: ClientForm, formset=None, exclude_pk=None):
    phones, emails = [], []
    if formset is not None:
        for contact_form in formset.forms:
            data = getattr(contact_form, "cleaned_data", None) or {}
            phones.append(data.get("phone", ""))
            emails.append(data.get("email", ""))
    return list(
        Client.objects.likely_duplicates(
            name=form.cleaned_data.get("name", ""),
            phones=phones,
            emails=emails,
            exclude_pk=exclude_pk,
        )[:10]
    )


class ClientCreateView(PermissionMixin, View):
    model = Client
    action = Action.ADD
    template_name = "clients/client_form.html"

    def get(self, request):
        form = ClientForm(initial={"owner": request.user.pk})
        formset = ContactFormSet(prefix="contacts")
        return render(request, self.template_name, {"form": form, "formset": formset})

    def post(self, request):
        form = ClientForm(request.POST)
        formset = ContactFormSet(request.POST, prefix="contacts")
        context = {"form": form, "formset": formset}
        if not (form.is_valid() and formset.is_valid()):
            return render(request, self.template_name, context, status=400)
        duplicates = _duplicates(form, formset)
        if duplicates and not form.cleaned_data.get("confirm_duplicate"):
            context["duplicates"] = duplicates
            return render(request, self.template_name, context, status=409)
        contacts = [
            f.save(commit=False)
            for f in formset.forms
            if f.has_changed() and f.cleaned_data and f.cleaned_data.get("name")
        ]
        client = services.create_client(
            form.save(commit=False),
            tags=form.cleaned_data["tags_text"],
            contacts=contacts,
        )
        messages.success(
            request, _("Client “%(name)s” created.") % {"name": client.name}
        )
        return redirect("clients:client_detail", pk=client.pk)


class ClientUpdateView(ScopedObjectMixin, View):
    model = Client
    action = Action.CHANGE
    template_name = "clients/client_form.html"

    def get(self, request, pk):
        client = get_object_or_404(self.get_queryset(), pk=pk)
        return render(
            request,
            self.template_name,
            {"form": ClientForm(instance=client), "client": client},
        )

    def post(self, request, pk):
        client = get_object_or_404(self.get_queryset(), pk=pk)
        form = ClientForm(request.POST, instance=client)
        context = {"form": form, "client": client}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        duplicates = _duplicates(form, exclude_pk=client.pk)
        if (
            duplicates
            and not form.cleaned_data.get("confirm_duplicate")
            and "name" in form.changed_data
        ):
            context["duplicates"] = duplicates
            return render(request, self.template_name, context, status=409)
        try:
            services.update_client(
                form.instance,
                form.cleaned_data.get("version"),
                tags=form.cleaned_data["tags_text"],
            )
        except StaleVersion as stale:
            return conflict_response(
                request, self.template_name, context, form, stale.current
            )
        messages.success(request, _("Saved."))
        return redirect("clients:client_detail", pk=client.pk)


class DuplicateCheckView(PermissionMixin, View):
    """htmx: clients that look like the one being typed (same name, phone or e-mail)."""

    model = Client
    action = Action.ADD

    def get(self, request):
        phones = [v for k, v in request.GET.items() if k.endswith("-phone")]
        emails = [
            v.strip().lower() for k, v in request.GET.items() if k.endswith("-email")
        ]
        exclude = request.GET.get("exclude")
        duplicates = list(
            scope(request.user, Client.objects.all()).likely_duplicates(
                name=request.GET.get("name", ""),
                phones=phones,
                emails=emails,
                exclude_pk=int(exclude) if exclude and exclude.isdigit() else None,
            )[:10]
        )
        return render(
            request, "clients/partials/duplicates.html", {"duplicates": duplicates}
        )


class ClientArchiveView(ScopedObjectMixin, View):
    model = Client
    action = Action.DELETE

    def post(self, request, pk):
        client = get_object_or_404(self.get_queryset(), pk=pk)
        restore = request.resolver_match.url_name == "client_restore"
        if restore:
            services.restore_client(client)
            messages.success(
                request, _("Client “%(name)s” restored.") % {"name": client.name}
            )
        else:
            services.archive_client(client)
            messages.success(
                request,
                _(
                    "Client “%(name)s” archived. It can be restored from the archived list."
                )
                % {"name": client.name},
            )
        return redirect("clients:client_detail", pk=client.pk)


class ClientPurgeView(ScopedObjectMixin, View):
    model = Client
    action = Action.PURGE

    def post(self, request, pk):
        client = get_object_or_404(self.get_queryset(), pk=pk)
        if not client.is_archived:
            messages.error(
                request, _("Archive the client before deleting it for good.")
            )
            return redirect("clients:client_detail", pk=client.pk)
        name = client.name
        try:
            services.purge_client(client)
        except REFUSALS as error:
            messages.error(request, refusal_message(error, client))
            return redirect("clients:client_detail", pk=client.pk)
        messages.success(
            request, _("Client “%(name)s” deleted for good.") % {"name": name}
        )
        return redirect(reverse("clients:client_list") + "?archived=true")


class ClientExportView(PermissionMixin, View):
    model = Client
    action = Action.EXPORT

    def get(self, request):
        base = scope(request.user, Client.objects.for_export(), Action.EXPORT)
        _filterset, queryset = _filtered_clients(request, base)
        selected = [int(pk) for pk in request.GET.getlist("id") if pk.isdigit()]
        if selected:
            queryset = queryset.filter(pk__in=selected)
        elif queryset.count() > tasks.EXPORT_INLINE_LIMIT:
            job = start_job(
                tasks.export_clients,
                user=request.user,
                kind="clients.export",
                title=_("Export of the client list"),
                params={
                    "query": request.GET.urlencode(),
                    "format": "xlsx" if request.GET.get("format") == "xlsx" else "csv",
                },
            )
            return redirect("core:job_detail", job.pk)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(
                exchange.export_xlsx(queryset.iterator(chunk_size=2000)),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="clients-{stamp}.xlsx"'
            )
            return response
        stream = StreamingHttpResponse(
            exchange.export_csv(queryset.iterator(chunk_size=2000)),
            content_type="text/csv; charset=utf-8",
        )
        stream["Content-Disposition"] = f'attachment; filename="clients-{stamp}.csv"'
        return stream


class ClientImportView(PermissionMixin, View):
    """Upload → map the columns (for a file not in our own layout) → preview with a
    row-by-row report → confirm. Nothing is written until the confirmation, and then
    everything or nothing.

    A file of more than ``tasks.IMPORT_INLINE_LIMIT`` rows is checked by a background
    job with a progress bar, whose report this page then shows (``?job=``), and the
    confirmed import is a second job."""

    model = Client
    action = Action.IMPORT
    template_name = "clients/client_import.html"

    def _stash_path(self, token: str):
        return settings.DATA_DIR / "imports" / f"{token}.upload"

    def _stash(self, request, data: bytes) -> str:
        token = hashlib.sha256(data + str(request.user.pk).encode()).hexdigest()[:32]
        path = self._stash_path(token)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return token

    def _stashed(self, token: str) -> bytes | None:
        if not token.isalnum():
            raise PermissionDenied
        path = self._stash_path(token)
        return path.read_bytes() if path.exists() else None

    def _check_job(self, request, pk) -> Job:
        """The user's own finished check of a large file (anyone else's is 404)."""
        if not str(pk).isdigit():
            raise Http404
        return get_object_or_404(
            Job,
            pk=int(pk),
            user_id=request.user.pk,
            kind=tasks.IMPORT_CHECK,
            status=Job.Status.DONE,
        )

    def _context(self, **extra) -> dict[str, object]:
        return {"columns": exchange.COLUMNS, **extra}

    def get(self, request):
        context = self._context()
        if "job" in request.GET:
            job = self._check_job(request, request.GET["job"])
            report = exchange.StoredReport.from_json(job.result.get("report", {}))
            context.update(
                {
                    "report": report,
                    "filename": job.params.get("filename", ""),
                    "preview": report.preview,
                    "job": job,
                }
            )
            return render(
                request, self.template_name, context, status=200 if report.ok else 400
            )
        return render(request, self.template_name, context)

    def post(self, request):
        if request.POST.get("step") == "map":
            return self.mapped(request)
        if "token" in request.POST:
            return self.confirm(request)
        if "job" in request.POST:
            return self.confirm_job(request)
        upload = request.FILES.get("file")
        context = self._context()
        if upload is None:
            context["file_error"] = _("Choose a CSV or Excel file.")
            return render(request, self.template_name, context, status=400)
        if upload.size > settings.IMPORT_MAX_BYTES:
            context["file_error"] = _("The file is too large.")
            return render(request, self.template_name, context, status=400)
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            context["file_error"] = _("Only .csv and .xlsx files can be imported.")
            return render(request, self.template_name, context, status=400)
        data = upload.read()
        try:
            table = exchange.read_table(data, upload.name)
        except exchange.ImportError_ as error:
            context["file_error"] = str(error)
            return render(request, self.template_name, context, status=400)
        if not exchange.is_own_layout(table.header):
            token = self._stash(request, data)
            mapping = exchange.guess_for(table.header)
            return self.render_mapping(request, token, upload.name, table, mapping)
        return self.check(request, data, upload.name, None)

    def render_mapping(
        self, request, token, filename, table, mapping, error="", status=200
    ):
        """The mapping step: each column of the file with a few of its cells and the
        field it feeds (guessed, from a preset, or as the user chose)."""
        examples = exchange.samples(table)
        context = self._context(
            token=token,
            filename=filename,
            mapping_columns=[
                {"index": i, "header": h, "samples": examples[i], "field": mapping[i]}
                for i, h in enumerate(table.header)
            ],
            fields=exchange.field_choices(),
            presets=exchange.preset_choices(),
            preset=request.POST.get("preset", ""),
            mapping_error=error,
        )
        return render(request, self.template_name, context, status=status)

    def mapped(self, request):
        """The mapping step's form: apply a preset, or check the file as mapped (and
        save the mapping as a preset if a name was given)."""
        token = request.POST.get("token", "")
        filename = request.POST.get("filename", "")
        data = self._stashed(token)
        if data is None:
            messages.error(
                request, _("The uploaded file has expired. Upload it again.")
            )
            return redirect("clients:client_import")
        table = exchange.read_table(data, filename)
        if request.POST.get("action") == "preset":
            mapping = exchange.mapping_for(table.header, request.POST.get("preset", ""))
            return self.render_mapping(request, token, filename, table, mapping)
        mapping = _posted_mapping(request, len(table.header))
        try:
            exchange.check_mapping(table.header, mapping)
        except exchange.ImportError_ as error:
            return self.render_mapping(
                request, token, filename, table, mapping, str(error), status=400
            )
        name = " ".join(request.POST.get("save_as", "").split())
        if name:
            if len(name) > 100:
                return self.render_mapping(
                    request,
                    token,
                    filename,
                    table,
                    mapping,
                    _("A preset name can have at most 100 characters."),
                    status=400,
                )
            services.save_import_preset(
                name,
                {h: f for h, f in zip(table.header, mapping, strict=True) if h},
                request.user,
            )
            messages.success(
                request, _("Mapping saved as “%(name)s”.") % {"name": name}
            )
        return self.check(request, data, filename, mapping, token=token)

    def check(self, request, data, filename, mapping, token=None):
        """Check the file (in a background job if it is large) and show the report."""
        rows = exchange.estimate_rows(data, filename)
        # Beyond the file's limit it is refused at once, with the reason.
        if tasks.IMPORT_INLINE_LIMIT < rows <= exchange.MAX_ROWS + 1:
            job = start_job(
                tasks.check_import,
                user=request.user,
                kind=tasks.IMPORT_CHECK,
                title=_("Check of %(name)s") % {"name": filename},
                params={
                    "upload": tasks.stash_upload(data),
                    "filename": filename,
                    "mapping": mapping,
                },
            )
            if token:
                self._stash_path(token).unlink(missing_ok=True)
            return redirect("core:job_detail", job.pk)
        context = self._context(filename=filename, mapping=mapping)
        try:
            report = exchange.parse_file(data, filename, mapping=mapping)
        except exchange.ImportError_ as error:
            context["file_error"] = str(error)
            return render(request, self.template_name, context, status=400)
        context.update({"report": report, "preview": report.clients[:20]})
        if report.ok:
            context["token"] = token or self._stash(request, data)
            return render(request, self.template_name, context)
        return render(request, self.template_name, context, status=400)

    def confirm_job(self, request):
        """Start the import of a large file whose check found every row valid, once:
        the check hands its file over to the import with a compare-and-set."""
        check = self._check_job(request, request.POST["job"])
        upload = check.params.get("upload", "")
        handed_over = (
            not check.result.get("report", {}).get("errors")
            and upload
            and default_storage.exists(upload)
            and Job.objects.filter(pk=check.pk, params__upload=upload).update(
                params={**check.params, "upload": ""}
            )
        )
        if not handed_over:
            messages.error(
                request, _("The uploaded file has expired. Upload it again.")
            )
            return redirect("clients:client_import")
        job = start_job(
            tasks.import_file,
            user=request.user,
            kind="clients.import",
            title=_("Import of %(name)s") % {"name": check.params.get("filename", "")},
            params={
                "upload": upload,
                "filename": check.params.get("filename", ""),
                "mapping": check.params.get("mapping"),
            },
        )
        return redirect("core:job_detail", job.pk)

    def confirm(self, request):
        token = request.POST["token"]
        data = self._stashed(token)
        if data is None:
            messages.error(
                request, _("The uploaded file has expired. Upload it again.")
            )
            return redirect("clients:client_import")
        filename = request.POST.get("filename", "")
        mapping = None
        if request.POST.get("mapped"):
            header = exchange.read_table(data, filename).header
            mapping = _posted_mapping(request, len(header))
        try:
            report = exchange.parse_file(data, filename, mapping=mapping)
        except exchange.ImportError_ as error:
            context = self._context(file_error=str(error))
            return render(request, self.template_name, context, status=400)
        if not report.ok:
            context = self._context(
                report=report, preview=report.clients[:20], filename=filename
            )
            return render(request, self.template_name, context, status=400)
        with transaction.atomic():
            created = exchange.import_clients(report, user=request.user)
        self._stash_path(token).unlink(missing_ok=True)
        messages.success(
            request,
            _("Imported %(clients)d clients with %(contacts)d contacts.")
            % {"clients": created, "contacts": report.contact_count},
        )
        return redirect("clients:client_list")


def _posted_mapping(request, columns: int) -> list[str | None]:
    """The mapping the form posted: ``map_<i>`` is the field column ``i`` feeds
    (empty: left out)."""
    return [request.POST.get(f"map_{i}", "").strip() or None for i in range(columns)]


class ImportTemplateView(PermissionMixin, View):
    """An empty file with the import columns, in the user's language."""

    model = Client
    action = Action.IMPORT

    def get(self, request):
        response = FileResponse(
            iter(exchange.export_csv([])),
            as_attachment=True,
            filename="clients-template.csv",
        )
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response


# --- the records of a client: contacts, requirements, contracts, payments, feedback, ---------
# --- follow-ups ------------------------------------------------------------------------------


class RecordMixin(ScopedObjectMixin):
    """Create, edit or delete one record that belongs to a client."""

    model = Client
    template_name = "clients/record_form.html"
    kwargs: dict[str, Any]

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in RECORD_FORMS:
            raise Http404
        self.record_model, self.form_class = RECORD_FORMS[kwargs["kind"]]
        return super().dispatch(request, *args, **kwargs)

    def get_client(self, pk):
        return get_object_or_404(self.get_queryset(), pk=pk)

    def get_record(self, client, record_pk):
        queryset: QuerySet[Any]
        if self.record_model is Payment:
            queryset = Payment.objects.filter(contract__client=client)
        else:
            queryset = self.record_model._default_manager.filter(**{"client": client})
        return get_object_or_404(scope(self.request.user, queryset), pk=record_pk)

    def check_money(self, client, action: Action) -> None:
        """Contracts and payments: only those who handle the client's money add them."""
        if self.record_model in (Contract, Payment) and not can(
            self.request.user, action, Contract(client=client)
        ):
            raise PermissionDenied

    def make_form(self, client, data=None, instance=None):
        kwargs = {"instance": instance}
        if self.form_class in CLIENT_AWARE_FORMS:
            kwargs["client"] = client
        if self.record_model is Payment:
            kwargs["user"] = self.request.user
        return self.form_class(data, **kwargs)

    def render_form(self, request, client, form, record=None, status=200):
        context = {
            "client": client,
            "form": form,
            "record": record,
            "kind": self.kwargs["kind"],
            "record_name": self.record_model._meta.verbose_name,
        }
        return render(request, self.template_name, context, status=status)

    def save(self, request, client, form, record=None):
        if not form.is_valid():
            return self.render_form(request, client, form, record, status=400)
        instance = form.save(commit=False)
        if self.record_model is not Payment:
            instance.client = client
        try:
            # save_record moves "primary" from the old contact to this one, so the
            # one-primary constraint is not an input error here.
            instance.full_clean(exclude=["is_primary"])
        except Exception as error:  # a cross-field rule
            from django.core.exceptions import ValidationError

            if not isinstance(error, ValidationError):
                raise
            form.add_error(None, error)
            return self.render_form(request, client, form, record, status=400)
        try:
            services.save_record(instance, form.cleaned_data.get("version"))
        except StaleVersion as stale:
            context = {
                "client": client,
                "record": record,
                "kind": self.kwargs["kind"],
                "record_name": self.record_model._meta.verbose_name,
            }
            return conflict_response(
                request, self.template_name, context, form, stale.current
            )
        messages.success(request, _("Saved."))
        return redirect(
            reverse("clients:client_detail", args=[client.pk])
            + f"#{self.kwargs['kind']}"
        )


class RecordCreateView(RecordMixin, View):
    action = Action.CHANGE

    def get(self, request, pk, kind):
        client = self.get_client(pk)
        self.check_money(client, Action.ADD)
        return self.render_form(request, client, self.make_form(client))

    def post(self, request, pk, kind):
        client = self.get_client(pk)
        self.check_money(client, Action.ADD)
        return self.save(request, client, self.make_form(client, request.POST))


class RecordUpdateView(RecordMixin, View):
    action = Action.CHANGE

    def get(self, request, pk, kind, record_pk):
        client = self.get_client(pk)
        record = self.get_record(client, record_pk)
        return self.render_form(
            request, client, self.make_form(client, instance=record), record
        )

    def post(self, request, pk, kind, record_pk):
        client = self.get_client(pk)
        record = self.get_record(client, record_pk)
        return self.save(
            request, client, self.make_form(client, request.POST, record), record
        )


class RecordDeleteView(RecordMixin, View):
    action = Action.CHANGE

    def post(self, request, pk, kind, record_pk):
        client = self.get_client(pk)
        record = self.get_record(client, record_pk)
        try:
            services.delete_record(record)
        except REFUSALS as error:
            messages.error(request, refusal_message(error, record))
        else:
            messages.success(request, _("Deleted: %(record)s") % {"record": record})
        return redirect(reverse("clients:client_detail", args=[client.pk]) + f"#{kind}")
