"""The first schema: the tables, columns and constraints of Piccolo's auto migration, as data.

Piccolo generated one ``manager.add_table`` / ``add_column`` / ``add_constraint`` call per item;
they are listed here once and ``forwards`` makes the same calls, with the same arguments, in the
same order (all tables, then every column table by table, then the constraints). The migration
manager therefore holds what it held before: Piccolo writes the same DDL, and its schema snapshot
(what ``piccolo migrations new --auto`` compares with) is unchanged.

Each column's params are Piccolo's full set: ``params`` fills in what the generator wrote for every
column alike (``index=False``, B-tree, no choices, no db_column_name, not secret). Entries may be
shared (``VERSIONED``): ``add_column`` deep-copies its params before it builds the column.
"""

from functools import cache
from typing import Any, NamedTuple

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import Array
from piccolo.columns.column_types import BigInt
from piccolo.columns.column_types import BigSerial
from piccolo.columns.column_types import Boolean
from piccolo.columns.column_types import Date
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import JSONB
from piccolo.columns.column_types import Text
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import UUID
from piccolo.columns.column_types import Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod
from piccolo.constraints import Check
from piccolo.constraints import Unique
from piccolo.table import create_table_class

ID = "2026-11-22T02:33:51:596050"
VERSION = "1.38.0"
DESCRIPTION = "True"


def params(null=False, primary_key=False, unique=False, **specific) -> dict[str, Any]:
    """A column's params as Piccolo wrote them: its own first (length, default, ...), then the flags."""
    return {
        **specific,
        "null": null,
        "primary_key": primary_key,
        "unique": unique,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }


def column(column_class, **kwargs):
    return column_class, params(**kwargs)


def array(base_class, **base):
    return Array, params(default=list, base_column=base_class(**params(**base)))


def foreign_key(references: str, on_delete: OnDelete):
    """A nullable foreign key to the table class named ``references`` ("self": this table)."""
    return ForeignKey, params(
        references=references, on_delete=on_delete, on_update=OnUpdate.cascade, target_column=None, null=True
    )


def check(condition: str):
    return Check, {"condition": condition}


def unique(*columns: str):
    return Unique, {"columns": list(columns), "nulls_distinct": True}


# What every edited record ends with: the optimistic-lock version and its timestamps.
VERSIONED = {
    "version": column(Integer, default=1),
    "created_at": column(Timestamptz, default=TimestamptzNow()),
    "updated_at": column(Timestamptz, default=TimestamptzNow()),
}


def version_check(tablename: str):
    return {f"{tablename}_version_check": check("version >= 1")}


class NewTable(NamedTuple):
    class_name: str
    tablename: str
    columns: dict[str, tuple]  # column name -> (column class, params)
    constraints: dict[str, tuple] = {}  # constraint name -> (constraint class, params)


def link_table(class_name: str, tablename: str, *ends: tuple[str, str, OnDelete]) -> NewTable:
    """A table linking others: a foreign key per end (name, target, on delete), unique together."""
    return NewTable(
        class_name,
        tablename,
        columns={name: foreign_key(target, on_delete) for name, target, on_delete in ends},
        constraints={f"{tablename}_unique": unique(*(name for name, _, _ in ends))},
    )


TABLES = [
    link_table("OzgLeistungLage", "ozg_leistung_lage", ("ozg_leistung", "OzgLeistung", OnDelete.cascade),
               ("lage", "Lage", OnDelete.restrict)),
    NewTable("Themenfeld", "themenfeld", columns={
        "key": column(Varchar, length=60, default="", primary_key=True),
        "name": column(Varchar, length=120, default="", unique=True),
        "position": column(Integer, default=0),
    }),
    NewTable("IdempotencyKey", "idempotency_key", columns={
        "id": column(BigSerial, primary_key=True),
        "scope": column(Varchar, length=64, default=""),
        "key": column(Varchar, length=200, default=""),
        "request_hash": column(Varchar, length=64, default=""),
        "status_code": column(Integer, default=None, null=True),
        "response": column(JSONB, default=None, null=True),
        "created_at": column(Timestamptz, default=TimestamptzNow()),
    }, constraints={
        "idempotency_key_unique": unique("scope", "key"),
    }),
    NewTable("WebhookDelivery", "webhook_delivery", columns={
        "id": column(UUID, default=UUID4(), primary_key=True),
        "subscription": foreign_key("WebhookSubscription", OnDelete.cascade),
        "event": foreign_key("Event", OnDelete.cascade),
        "status": column(Varchar, length=20, default="pending"),
        "attempts": column(Integer, default=0),
        "next_attempt_at": column(Timestamptz, default=TimestamptzNow()),
        "last_status_code": column(Integer, default=None, null=True),
        "last_error": column(Text, default=None, null=True),
        "created_at": column(Timestamptz, default=TimestamptzNow()),
        "delivered_at": column(Timestamptz, default=None, null=True),
    }, constraints={
        "webhook_delivery_status_check": check("status IN ('pending', 'succeeded', 'failed', 'abandoned')"),
        "webhook_delivery_unique": unique("subscription", "event"),
    }),
    NewTable("WebhookSubscription", "webhook_subscription", columns={
        "id": column(UUID, default=UUID4(), primary_key=True),
        "url": column(Varchar, length=2000, default=""),
        "secret": column(Varchar, length=100, default=""),
        "event_types": array(Varchar, length=40, default=""),
        "filters": column(JSONB, default="{}"),
        "enabled": column(Boolean, default=True),
        "consecutive_failures": column(Integer, default=0),
        "disabled_reason": column(Varchar, length=300, default=None, null=True),
        "owner": foreign_key("ApiToken", OnDelete.set_null),
        "last_event_seq": column(BigInt, default=0),
        **VERSIONED,
    }, constraints={
        "webhook_url_check": check("url ~ '^https?://'"),
    }),
    NewTable("AdoptionTransition", "adoption_transition", columns={
        "id": column(BigSerial, primary_key=True),
        "adoption": foreign_key("Adoption", OnDelete.cascade),
        "from_status": column(Varchar, length=20, default=None, null=True),
        "to_status": column(Varchar, length=20, default=""),
        "actor": column(Varchar, length=200, default=""),
        "request_id": column(Varchar, length=64, default=None, null=True),
        "note": column(Text, default=None, null=True),
        "at": column(Timestamptz, default=TimestamptzNow()),
        "version": column(Integer, default=0),
    }, constraints={
        "adoption_transition_status_check": check(
            "to_status IN ('interested', 'agreed', 'onboarding', 'live', 'paused', 'withdrawn') AND "
            "(from_status IS NULL OR "
            "from_status IN ('interested', 'agreed', 'onboarding', 'live', 'paused', 'withdrawn'))"
        ),
    }),
    NewTable("OzgLeistung", "ozg_leistung", columns={
        "ozg_id": column(Varchar, length=6, default="", primary_key=True),
        "name": column(Varchar, length=300, default=""),
        "themenfeld": foreign_key("Themenfeld", OnDelete.restrict),
        "execution_level": column(Varchar, length=10, default=None, null=True),
        "updated_at": column(Timestamptz, default=TimestamptzNow()),
    }, constraints={
        "ozg_id_check": check("ozg_id ~ '^[0-9]{1,6}$'"),
        "ozg_execution_level_check": check(
            "execution_level IS NULL OR execution_level IN ('bund', 'land', 'kreis', 'gemeinde')"
        ),
    }),
    NewTable("Area", "area", columns={
        "ars": column(Varchar, length=12, default="", primary_key=True),
        "ags": column(Varchar, length=8, default=None, null=True),
        "name": column(Varchar, length=200, default=""),
        "level": column(Varchar, length=24, default=""),
        "textkennzeichen": column(Varchar, length=2, default=None, null=True),
        "parent": foreign_key("self", OnDelete.restrict),
        "land": column(Varchar, length=2, default=""),
        "iso_code": column(Varchar, length=5, default=None, null=True),
        "seat": column(Varchar, length=200, default=None, null=True),
        "population": column(Integer, default=None, null=True),
        "area_ha": column(Integer, default=None, null=True),
        "gebietsstand": column(Date, default=None, null=True),
        "current": column(Boolean, default=True),
        "updated_at": column(Timestamptz, default=TimestamptzNow()),
    }, constraints={
        "area_level_check": check(
            "level IN ('land', 'regierungsbezirk', 'region', 'kreis', 'gemeindeverband', 'gemeinde', "
            "'gemeindefreies_gebiet')"
        ),
        "area_ars_check": check(
            "(level = 'land' AND ars ~ '^(0[1-9]|1[0-6])$') OR (level = 'regierungsbezirk' AND "
            "ars ~ '^[0-9]{3}$') OR (level = 'region' AND ars ~ '^[0-9]{4}$') OR (level = 'kreis' AND "
            "ars ~ '^[0-9]{5}$') OR (level = 'gemeindeverband' AND ars ~ '^[0-9]{9}$') OR "
            "(level IN ('gemeinde', 'gemeindefreies_gebiet') AND ars ~ '^[0-9]{12}$')"
        ),
        "area_ags_check": check("ags IS NULL OR ags ~ '^[0-9]{8}$'"),
        "area_land_check": check("land = left(ars, 2)"),
        "area_iso_check": check("iso_code IS NULL OR iso_code ~ '^DE-[A-Z]{2}$'"),
        "area_population_check": check("population IS NULL OR population >= 0"),
    }),
    NewTable("Solution", "solution", columns={
        "id": column(UUID, default=UUID4(), primary_key=True),
        "slug": column(Varchar, length=80, default="", unique=True),
        "name": column(Varchar, length=300, default=""),
        "summary": column(Varchar, length=1000, default=None, null=True),
        "description": column(Text, default=None, null=True),
        "provider": foreign_key("Organisation", OnDelete.restrict),
        "operator": foreign_key("Organisation", OnDelete.restrict),
        "status": column(Varchar, length=20, default="planned"),
        "efa_compliant": column(Boolean, default=None, null=True),
        "reifegrad_model": column(Varchar, length=3, default=None, null=True),
        "reifegrad": column(Integer, default=None, null=True),
        "reuse_route": column(Varchar, length=30, default=None, null=True),
        "rollout_level": column(Varchar, length=10, default="gemeinde"),
        "licence": column(Varchar, length=100, default=None, null=True),
        "source_repository": column(Varchar, length=2000, default=None, null=True),
        "documentation_url": column(Varchar, length=2000, default=None, null=True),
        "costs_note": column(Text, default=None, null=True),
        "tags": array(Varchar, length=60, default=""),
        "contact_name": column(Varchar, length=200, default=None, null=True),
        "contact_email": column(Varchar, length=320, default=None, null=True),
        "is_demo": column(Boolean, default=False),
        **VERSIONED,
    }, constraints={
        "solution_status_check": check("status IN ('planned', 'in_development', 'pilot', 'available', 'retired')"),
        "solution_reuse_route_check": check(
            "reuse_route IS NULL OR "
            "reuse_route IN ('fit_store', 'marktplatz', 'verwaltungsabkommen', 'open_source')"
        ),
        "solution_rollout_level_check": check("rollout_level IN ('gemeinde', 'kreis', 'land')"),
        "solution_reifegrad_check": check(
            "(reifegrad IS NULL AND reifegrad_model IS NULL) OR (reifegrad_model = '1.1' AND "
            "reifegrad BETWEEN 0 AND 4) OR (reifegrad_model = '2.0' AND reifegrad BETWEEN 0 AND 7)"
        ),
        "solution_slug_check": check("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'"),
        "solution_urls_check": check(
            "(source_repository IS NULL OR source_repository ~ '^https://') AND "
            "(documentation_url IS NULL OR documentation_url ~ '^https://')"
        ),
        **version_check("solution"),
    }),
    NewTable("Event", "event", columns={
        "seq": column(BigSerial, primary_key=True),
        "occurred_at": column(Timestamptz, default=TimestamptzNow()),
        "actor": column(Varchar, length=200, default=""),
        "request_id": column(Varchar, length=64, default=None, null=True),
        "entity_type": column(Varchar, length=20, default=""),
        "entity_id": column(Varchar, length=64, default=""),
        "action": column(Varchar, length=30, default=""),
        "version": column(Integer, default=None, null=True),
        "snapshot": column(JSONB, default=None, null=True),
        "solution_id": column(UUID, default=None, null=True),
        "land": column(Varchar, length=2, default=None, null=True),
        "themenfelder": array(Varchar, length=60, default=""),
    }, constraints={
        "event_entity_type_check": check(
            "entity_type IN ('area', 'ozg_leistung', 'organisation', 'solution', 'interface', 'adoption', "
            "'token', 'webhook')"
        ),
    }),
    NewTable("LeikaEntry", "leika_entry", columns={
        "leika_key": column(Varchar, length=14, default="", primary_key=True),
        "name": column(Varchar, length=500, default=""),
        "leika_type": column(Varchar, length=20, default=None, null=True),
        "legal_basis": column(Text, default=None, null=True),
        "sdg_relevant": column(Boolean, default=None, null=True),
        "ozg_leistung": foreign_key("OzgLeistung", OnDelete.set_null),
    }, constraints={
        "leika_key_check": check("leika_key ~ '^[0-9]{14}$'"),
        "leika_type_check": check("leika_type IS NULL OR leika_type ~ '^[0-9][0-9a-z/, ]*$'"),
    }),
    NewTable("Organisation", "organisation", columns={
        "id": column(UUID, default=UUID4(), primary_key=True),
        "slug": column(Varchar, length=80, default="", unique=True),
        "kind": column(Varchar, length=20, default=""),
        "name": column(Varchar, length=300, default=""),
        "area": foreign_key("Area", OnDelete.restrict),
        "website": column(Varchar, length=2000, default=None, null=True),
        "contact_name": column(Varchar, length=200, default=None, null=True),
        "contact_email": column(Varchar, length=320, default=None, null=True),
        "contact_phone": column(Varchar, length=60, default=None, null=True),
        "is_demo": column(Boolean, default=False),
        **VERSIONED,
    }, constraints={
        "organisation_kind_check": check("kind IN ('bund', 'land', 'kommune', 'it_dienstleister', 'verbund', 'other')"),
        "organisation_slug_check": check("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'"),
        "organisation_website_check": check("website IS NULL OR website ~ '^https://'"),
        **version_check("organisation"),
    }),
    link_table("SolutionOzgLeistung", "solution_ozg_leistung", ("solution", "Solution", OnDelete.cascade),
               ("ozg_leistung", "OzgLeistung", OnDelete.restrict)),
    NewTable("ApiToken", "api_token", columns={
        "id": column(UUID, default=UUID4(), primary_key=True),
        "name": column(Varchar, length=200, default=""),
        "role": column(Varchar, length=20, default=""),
        "token_hash": column(Varchar, length=64, default="", unique=True),
        "prefix": column(Varchar, length=16, default=""),
        "organisation": foreign_key("Organisation", OnDelete.restrict),
        "ars": array(Varchar, length=12, default=""),
        "expires_at": column(Timestamptz, default=None, null=True),
        "revoked_at": column(Timestamptz, default=None, null=True),
        "last_used_at": column(Timestamptz, default=None, null=True),
        "created_at": column(Timestamptz, default=TimestamptzNow()),
    }, constraints={
        "api_token_role_check": check("role IN ('curator', 'provider', 'adopter', 'integrator')"),
        "api_token_provider_check": check("role <> 'provider' OR organisation IS NOT NULL"),
        "api_token_adopter_check": check("role <> 'adopter' OR cardinality(ars) > 0"),
    }),
    link_table("AdoptionInterface", "adoption_interface", ("adoption", "Adoption", OnDelete.cascade),
               ("interface", "Interface", OnDelete.restrict)),
    NewTable("Adoption", "adoption", columns={
        "id": column(UUID, default=UUID4(), primary_key=True),
        "solution": foreign_key("Solution", OnDelete.restrict),
        "area": foreign_key("Area", OnDelete.restrict),
        "status": column(Varchar, length=20, default="interested"),
        "paused_from": column(Varchar, length=20, default=None, null=True),
        "planned_live_on": column(Date, default=None, null=True),
        "live_since": column(Date, default=None, null=True),
        "note": column(Text, default=None, null=True),
        **VERSIONED,
    }, constraints={
        "adoption_status_check": check(
            "status IN ('interested', 'agreed', 'onboarding', 'live', 'paused', 'withdrawn')"
        ),
        "adoption_paused_from_check": check(
            "(status = 'paused') = (paused_from IS NOT NULL) AND (paused_from IS NULL OR "
            "paused_from IN ('interested', 'agreed', 'onboarding', 'live'))"
        ),
        "adoption_live_since_check": check("status <> 'live' OR live_since IS NOT NULL"),
        **version_check("adoption"),
    }),
    NewTable("Lage", "lage", columns={
        "key": column(Varchar, length=120, default="", primary_key=True),
        "name": column(Varchar, length=200, default="", unique=True),
        "themenfeld": foreign_key("Themenfeld", OnDelete.restrict),
    }),
    NewTable("Interface", "interface", columns={
        "id": column(UUID, default=UUID4(), primary_key=True),
        "solution": foreign_key("Solution", OnDelete.restrict),
        "kind": column(Varchar, length=20, default=""),
        "name": column(Varchar, length=300, default=None, null=True),
        "standard": column(Varchar, length=120, default=None, null=True),
        "standard_version": column(Varchar, length=40, default=None, null=True),
        "spec_url": column(Varchar, length=2000, default=None, null=True),
        "authentication": column(Varchar, length=200, default=None, null=True),
        "status": column(Varchar, length=20, default="active"),
        "sunset_on": column(Date, default=None, null=True),
        **VERSIONED,
    }, constraints={
        "interface_kind_check": check("kind IN ('fit_connect', 'xoev', 'rest', 'soap', 'osci_xta', 'file', 'other')"),
        "interface_status_check": check("status IN ('planned', 'active', 'deprecated', 'retired')"),
        "interface_spec_url_check": check("spec_url IS NULL OR spec_url ~ '^https://'"),
        **version_check("interface"),
    }),
]


@cache
def referenced(class_name: str):
    """The table a foreign key points to, as the stub class Piccolo's migration declares for it:
    class and table name and the primary key column (which gives the key column its type)."""
    table = next(t for t in TABLES if t.class_name == class_name)
    key, (column_class, spec) = next((name, c) for name, c in table.columns.items() if c[1]["primary_key"])
    return create_table_class(
        class_name,
        class_kwargs={"tablename": table.tablename, "schema": None},
        class_members={key: column_class(**spec)},
    )


def resolved(spec: dict[str, Any]) -> dict[str, Any]:
    """A column's params with a foreign key's target class in place of its name."""
    references = spec.get("references")
    if references is None or references == "self":
        return spec
    return {**spec, "references": referenced(references)}


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="efa_registry", description=DESCRIPTION
    )
    for table in TABLES:
        manager.add_table(
            class_name=table.class_name, tablename=table.tablename, schema=None, columns=None
        )
    for table in TABLES:
        for name, (column_class, spec) in table.columns.items():
            manager.add_column(
                table_class_name=table.class_name,
                tablename=table.tablename,
                column_name=name,
                db_column_name=name,
                column_class_name=column_class.__name__,
                column_class=column_class,
                params=resolved(spec),
                schema=None,
            )
    for table in TABLES:
        for name, (constraint_class, spec) in table.constraints.items():
            manager.add_constraint(
                table_class_name=table.class_name,
                tablename=table.tablename,
                constraint_name=name,
                constraint_class=constraint_class,
                params=spec,
                schema=None,
            )
    return manager
