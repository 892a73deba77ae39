"""Kuratierung: sign in with a token, edit solutions and interfaces, move adoptions on.

Every write goes through the same core use case as the API, with the version the form was
rendered from, so the core's permission table and optimistic locking apply unchanged. A stale
version re-renders the form with the person's input and the values stored meanwhile.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from api.web import forms, session, texts
from api.web.controller import page_context
from api.web.curation_views import adoption_rows, form_options
from api.web.errors import HTML_EXCEPTION_HANDLERS, error_page, status_of
from api.web.texts import ROLE
from efa_registry.access.policy import authorize, can
from efa_registry.adoptions import service as adoptions
from efa_registry.adoptions.model import AdoptionPatch
from efa_registry.errors import (
    AlreadyExists,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    Unauthenticated,
    VersionConflict,
)
from efa_registry.organisations import service as organisations
from efa_registry.solutions import service as solutions
from efa_registry.solutions.search import SolutionQuery
from efa_registry.types import SolutionStatus, values

# Signed-in pages: never cached, never framed (clickjacking), no URL leaks to other sites.
PRIVATE = {"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'",
           "Referrer-Policy": "same-origin"}
LIST_PAGE = 50
Text = Annotated[str | None, QueryParameter(max_length=200)]


def sign_in_page(request: Request, message: str | None = None, status: int = 200) -> Template:
    token, cookie = session.login_csrf(request)
    return Template("kuratierung/anmelden.html", status_code=status, headers=PRIVATE, cookies=[cookie],
                    context={"page": "kuratierung", "csrf": token, "message": message})


def _sign_in_required(request: Request, exc: Unauthenticated) -> Template:
    return sign_in_page(request, "Bitte melden Sie sich an. Ihre Sitzung ist abgelaufen, beendet oder der Zugang "
                        "wurde widerrufen.", status=401)


async def curator(request: Request, current: session.Session | None = None) -> session.Session:
    """The signed-in session of someone who may curate: the core's table decides (curators any
    solution, providers their organisation's); adopters and integrators get a 403 page."""
    current = current or await session.require(request)
    actor = current.actor
    if not can(actor, "solution.update", organisation_id=actor.organisation_id):
        raise Forbidden(f"Ihr Zugang (Rolle: {ROLE.get(actor.role or '', actor.role)}) berechtigt nicht zur "
                        "Kuratierung. Lösungen pflegen nur die Koordinierungsstelle und die Anbieter.")
    return current


async def _posted(request: Request) -> tuple[session.Session, FormMultiDict]:
    """The signed-in curator and the form they sent, its CSRF token checked."""
    current = await curator(request)
    form = await request.form()
    session.check_csrf(current.csrf, form)
    return current, form


def _page(name: str, current: session.Session, status: int = 200, **context: Any) -> Template:
    # The audit label reads "token:<id> (<name>)"; people know their token by its name.
    who_name = current.actor.label.partition(" (")[2].removesuffix(")") or current.actor.label
    return Template(f"kuratierung/{name}.html", status_code=status, headers=PRIVATE, context={
        "page": "kuratierung", "csrf": current.csrf, "who": current.actor, "who_name": who_name, "errors": {},
        **context})


class CurationController(Controller):
    path = "/kuratierung"
    include_in_schema = False
    exception_handlers = {**HTML_EXCEPTION_HANDLERS, Unauthenticated: _sign_in_required}
    before_request = page_context

    # ------------------------------------------------------------------ session

    @get("/")
    async def overview(self, request: Request, weiter: Text = None) -> Template:
        current = await session.current(request)
        if current is None:
            return sign_in_page(request)
        current = await curator(request, current)
        actor = current.actor
        own = None if actor.role == "curator" else str(actor.organisation_id)
        query = SolutionQuery(provider=own, status=list(values(SolutionStatus)), sort="name")
        page, _ = await solutions.search_solutions(query, limit=LIST_PAGE, after=weiter or None)
        return _page("uebersicht", current, solutions=page.items,
                     more=f"/kuratierung?weiter={page.next_cursor}" if page.next_cursor else None)

    @post("/anmelden")
    async def sign_in(self, request: Request) -> Template | Redirect:
        form = await request.form()
        session.check_login_csrf(request, form)
        secret = str(form.get("token") or "").strip()
        if not secret:
            return sign_in_page(request, "Bitte geben Sie Ihr Zugangstoken ein.", status=422)
        try:
            actor = await session.check_token(request, secret)
        except Unauthenticated:
            return sign_in_page(request, "Dieses Token ist unbekannt, abgelaufen oder widerrufen.", status=401)
        if not can(actor, "solution.update", organisation_id=actor.organisation_id):
            # No session for a role that cannot curate: nothing behind this door is theirs.
            return error_page(request, 403, f"Ihr Zugang (Rolle: {ROLE.get(actor.role or '', actor.role)}) "
                              "berechtigt nicht zur Kuratierung. Lösungen pflegen nur die Koordinierungsstelle "
                              "und die Anbieter.")
        return Redirect("/kuratierung", status_code=303, cookies=[await session.open_session(request, secret)])

    @post("/abmelden")
    async def sign_out(self, request: Request) -> Redirect:
        current = await session.require(request)
        session.check_csrf(current.csrf, await request.form())
        response = Redirect("/kuratierung", status_code=303)
        await session.sign_out(request, response)
        return response

    # ------------------------------------------------------------------ solutions

    @get("/loesungen/neu")
    async def new_solution(self, request: Request) -> Template:
        current = await curator(request)
        provider = await self._own_provider(current)
        return _page("loesung", current, mode="neu", values={"provider": provider or "", "status": "planned",
                                                             "rolloutLevel": "gemeinde"},
                     version=None, idempotency_key=str(uuid.uuid4()), **await self._options(current))

    @post("/loesungen/neu")
    async def create_solution(self, request: Request) -> Template | Redirect:
        current, form = await _posted(request)
        mine = forms.submitted(form, ("provider", "slug", *forms.SOLUTION_FIELDS))
        # The key rendered into the form makes a double submit return the first result.
        key = str(form.get("idempotency_key") or "") or None
        try:
            solution, _ = await solutions.create_solution(forms.solution_create(mine), actor=current.actor,
                                                          idempotency_key=key)
        except (InvalidInput, AlreadyExists) as exc:
            return _page("loesung", current, status=status_of(exc), mode="neu", values=mine, version=None,
                         idempotency_key=str(uuid.uuid4()), errors=_field_error(exc), **await self._options(current))
        return Redirect(f"/kuratierung/loesungen/{solution.slug}?angelegt=1", status_code=303)

    @get("/loesungen/{slug:str}")
    async def edit_solution(self, request: Request, slug: FromPath[str], gespeichert: Text = None,
                            angelegt: Text = None) -> Template:
        current = await curator(request)
        solution = await solutions.get_solution(slug)
        authorize(current.actor, "solution.update", organisation_id=solution.provider.id)
        saved = "angelegt" if angelegt else "gespeichert" if gespeichert else None
        return _page("loesung", current, mode="bearbeiten", solution=solution, values=forms.solution_values(solution),
                     version=solution.version, saved=saved, **await self._options(current))

    @post("/loesungen/{slug:str}")
    async def update_solution(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        current, form = await _posted(request)
        mine = forms.submitted(form, forms.SOLUTION_FIELDS)
        try:
            solution = await solutions.update_solution(slug, forms.solution_patch(mine),
                                                       expected_version=forms.version_of(form), actor=current.actor)
        except VersionConflict:
            return await self._solution_conflict(current, slug, mine)
        except (InvalidInput, AlreadyExists) as exc:
            solution = await solutions.get_solution(slug)
            return _page("loesung", current, status=status_of(exc), mode="bearbeiten", solution=solution, values=mine,
                         version=forms.version_of(form), errors=_field_error(exc), **await self._options(current))
        return Redirect(f"/kuratierung/loesungen/{solution.slug}?gespeichert={solution.version}", status_code=303)

    async def _solution_conflict(self, current: session.Session, slug: str, mine: dict[str, str]) -> Template:
        """Never a lost edit: the person's input stays in the form, next to what is stored now;
        the form now carries the current version, so sending it again is a deliberate overwrite."""
        solution = await solutions.get_solution(slug)
        history = await solutions.history(solution.id)
        return _page("loesung", current, status=409, mode="bearbeiten", solution=solution, values=mine,
                     version=solution.version, conflict=forms.conflicts(mine, forms.solution_values(solution)),
                     changed_by=history[-1] if history else None, **await self._options(current))

    async def _options(self, current: session.Session) -> dict[str, Any]:
        orgs = await organisations.list_organisations(limit=500, after=None)
        return {"options": form_options(orgs.items), "is_curator": current.actor.role == "curator"}

    @staticmethod
    async def _own_provider(current: session.Session) -> str | None:
        if current.actor.organisation_id is None:
            return None
        return (await organisations.get_organisation(current.actor.organisation_id)).slug

    # ------------------------------------------------------------------ interfaces

    @get("/loesungen/{slug:str}/schnittstellen/neu")
    async def new_interface(self, request: Request, slug: FromPath[str]) -> Template:
        current = await curator(request)
        solution = await solutions.get_solution(slug)
        authorize(current.actor, "interface.create", organisation_id=solution.provider.id)
        return _page("schnittstelle", current, solution=solution, interface=None, values={"status": "active"},
                     version=None, idempotency_key=str(uuid.uuid4()), options=form_options([]))

    @post("/loesungen/{slug:str}/schnittstellen/neu")
    async def create_interface(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        current, form = await _posted(request)
        mine = forms.submitted(form, forms.INTERFACE_FIELDS)
        try:
            await solutions.create_interface(slug, forms.interface_create(mine), actor=current.actor,
                                             idempotency_key=str(form.get("idempotency_key") or "") or None)
        except InvalidInput as exc:
            return _page("schnittstelle", current, status=status_of(exc), solution=await solutions.get_solution(slug),
                         interface=None, values=mine, version=None, idempotency_key=str(uuid.uuid4()),
                         errors=_field_error(exc), options=form_options([]))
        return Redirect(f"/kuratierung/loesungen/{slug}?gespeichert=1#schnittstellen", status_code=303)

    @get("/schnittstellen/{interface_id:uuid}")
    async def edit_interface(self, request: Request, interface_id: FromPath[uuid.UUID]) -> Template:
        current = await curator(request)
        interface = await solutions.get_interface(interface_id)
        solution = await solutions.get_solution(interface.solution_id)
        authorize(current.actor, "interface.update", organisation_id=solution.provider.id)
        return _page("schnittstelle", current, solution=solution, interface=interface,
                     values=forms.interface_values(interface), version=interface.version, options=form_options([]))

    @post("/schnittstellen/{interface_id:uuid}")
    async def update_interface(self, request: Request, interface_id: FromPath[uuid.UUID]) -> Template | Redirect:
        current, form = await _posted(request)
        mine = forms.submitted(form, forms.INTERFACE_FIELDS)
        try:
            interface = await solutions.update_interface(interface_id, forms.interface_patch(mine),
                                                         expected_version=forms.version_of(form), actor=current.actor)
        except (VersionConflict, InvalidInput) as exc:
            stored = await solutions.get_interface(interface_id)
            conflict = isinstance(exc, VersionConflict)
            return _page("schnittstelle", current, status=status_of(exc),
                         solution=await solutions.get_solution(stored.solution_id), interface=stored, values=mine,
                         version=stored.version if conflict else forms.version_of(form),
                         conflict=forms.conflicts(mine, forms.interface_values(stored)) if conflict else None,
                         errors={} if conflict else _field_error(exc), options=form_options([]))
        solution = await solutions.get_solution(interface.solution_id)
        return Redirect(f"/kuratierung/loesungen/{solution.slug}?gespeichert=1#schnittstellen", status_code=303)

    # ------------------------------------------------------------------ adoptions

    @get("/loesungen/{slug:str}/nachnutzungen")
    async def adoptions_page(self, request: Request, slug: FromPath[str], nach: Text = None,
                             geaendert: Text = None) -> Template:
        current = await curator(request)
        return await self._adoptions(current, slug, nach, changed=geaendert)

    async def _adoptions(self, current: session.Session, slug: str, after: str | None, *, changed: str | None = None,
                         message: str | None = None, status: int = 200) -> Template:
        solution = await solutions.get_solution(slug)
        page = await adoptions.list_for_solution(str(solution.id), status=[], land=None, limit=LIST_PAGE,
                                                 after=after or None)
        more = f"/kuratierung/loesungen/{slug}/nachnutzungen?nach={page.next_cursor}" if page.next_cursor else None
        return _page("nachnutzungen", current, status=status, solution=solution,
                     rows=adoption_rows(current.actor, page.items), more=more, changed=changed, message=message)

    @post("/nachnutzungen/{adoption_id:uuid}")
    async def move_adoption(self, request: Request, adoption_id: FromPath[uuid.UUID]) -> Template | Redirect:
        current, form = await _posted(request)
        try:
            patch = msgspec.convert({"status": form.get("status")}, AdoptionPatch)
            adoption = await adoptions.change(adoption_id, patch, expected_version=forms.version_of(form),
                                              actor=current.actor)
        except (VersionConflict, InvalidTransition, msgspec.ValidationError) as exc:
            stored = await adoptions.get_adoption(adoption_id)
            message = ("Die Nachnutzung wurde inzwischen von jemand anderem geändert; unten steht ihr aktueller "
                       "Status. Bitte prüfen Sie, ob der Schritt noch nötig ist." if isinstance(exc, VersionConflict)
                       else "Dieser Schritt ist vom aktuellen Status aus nicht möglich.")
            return await self._adoptions(current, stored.solution.slug, None, message=message, status=409)
        return Redirect(f"/kuratierung/loesungen/{adoption.solution.slug}/nachnutzungen?geaendert={adoption.id}",
                        status_code=303)


def _field_error(exc: InvalidInput | AlreadyExists) -> dict[str, str]:
    field = exc.field if exc.field in forms.LABELS else forms.camel(exc.field)
    label = forms.LABELS.get(field or "", "Eingabe")
    message = exc.detail if isinstance(exc, forms.FormError) else f"Nicht übernommen. {texts.core_message(exc)}"
    return {field or "allgemein": f"{label}: {message}"}

