"""The domain schema as Piccolo tables (the event log, tokens and webhooks: ``operations_tables``).

Integrity lives in the database: keys, foreign keys, unique keys and CHECK constraints for
every enumeration and key format. What Piccolo cannot express (partial unique indexes, text
search vectors, the transaction id of events) is added by raw SQL in the migrations.
"""

from __future__ import annotations

from piccolo.columns import (
    UUID,
    Array,
    BigSerial,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from efa_registry import types as t


def one_of(column: str, literal: object, *, nullable: bool = False) -> str:
    allowed = ", ".join(f"'{v}'" for v in t.values(literal))
    condition = f"{column} IN ({allowed})"
    return f"{column} IS NULL OR {condition}" if nullable else condition



# --------------------------------------------------------------------------- reference data


class Area(Table, tablename="area"):
    """Gebiet from the Destatis GV100AD: Land … Gemeinde, keyed by ARS."""

    ars = Varchar(length=12, primary_key=True)
    ags = Varchar(length=8, null=True, default=None)
    name = Varchar(length=200)
    level = Varchar(length=24)
    textkennzeichen = Varchar(length=2, null=True, default=None)
    parent = ForeignKey("self", null=True, on_delete=OnDelete.restrict)
    land = Varchar(length=2)
    iso_code = Varchar(length=5, null=True, default=None)
    seat = Varchar(length=200, null=True, default=None)
    population = Integer(null=True, default=None)
    area_ha = Integer(null=True, default=None)
    gebietsstand = Date(null=True, default=None)
    # False once a newer GV100AD edition no longer lists the area (merged away): kept, because
    # adoptions may refer to it, but no longer counted.
    current = Boolean(default=True)
    updated_at = Timestamptz(default=TimestamptzNow())

    area_level_check = Check(one_of("level", t.AreaLevel))
    area_ars_check = Check(
        "(level = 'land' AND ars ~ '^(0[1-9]|1[0-6])$')"
        " OR (level = 'regierungsbezirk' AND ars ~ '^[0-9]{3}$')"
        " OR (level = 'region' AND ars ~ '^[0-9]{4}$')"
        " OR (level = 'kreis' AND ars ~ '^[0-9]{5}$')"
        " OR (level = 'gemeindeverband' AND ars ~ '^[0-9]{9}$')"
        " OR (level IN ('gemeinde', 'gemeindefreies_gebiet') AND ars ~ '^[0-9]{12}$')"
    )
    area_ags_check = Check("ags IS NULL OR ags ~ '^[0-9]{8}$'")
    area_land_check = Check("land = left(ars, 2)")
    area_iso_check = Check("iso_code IS NULL OR iso_code ~ '^DE-[A-Z]{2}$'")
    area_population_check = Check("population IS NULL OR population >= 0")


class Themenfeld(Table, tablename="themenfeld"):
    """One of the 14 Themenfelder of the OZG catalogue."""

    key = Varchar(length=60, primary_key=True)
    name = Varchar(length=120, unique=True)
    position = Integer()


class Lage(Table, tablename="lage"):
    """A Lebens- or Unternehmenslage, grouped under a Themenfeld."""

    key = Varchar(length=120, primary_key=True)
    name = Varchar(length=200, unique=True)
    themenfeld = ForeignKey(Themenfeld, on_delete=OnDelete.restrict)


class OzgLeistung(Table, tablename="ozg_leistung"):
    """An OZG-Leistung of the catalogue; its execution level decides who must adopt it."""

    ozg_id = Varchar(length=6, primary_key=True)
    name = Varchar(length=300)
    themenfeld = ForeignKey(Themenfeld, on_delete=OnDelete.restrict)
    execution_level = Varchar(length=10, null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())

    ozg_id_check = Check("ozg_id ~ '^[0-9]{1,6}$'")
    ozg_execution_level_check = Check(one_of("execution_level", t.ExecutionLevel, nullable=True))


class OzgLeistungLage(Table, tablename="ozg_leistung_lage"):
    ozg_leistung = ForeignKey(OzgLeistung, on_delete=OnDelete.cascade)
    lage = ForeignKey(Lage, on_delete=OnDelete.restrict)

    ozg_leistung_lage_unique = Unique(["ozg_leistung", "lage"])


class LeikaEntry(Table, tablename="leika_entry"):
    """A LeiKa (Leistungskatalog) entry and the OZG-Leistung it belongs to."""

    leika_key = Varchar(length=14, primary_key=True)
    name = Varchar(length=500)
    leika_type = Varchar(length=20, null=True, default=None)
    legal_basis = Text(null=True, default=None)
    sdg_relevant = Boolean(null=True, default=None)
    ozg_leistung = ForeignKey(OzgLeistung, null=True, on_delete=OnDelete.set_null)

    leika_key_check = Check("leika_key ~ '^[0-9]{14}$'")
    leika_type_check = Check("leika_type IS NULL OR leika_type ~ '^[0-9][0-9a-z/, ]*$'")


# --------------------------------------------------------------------------- catalogue


class Organisation(Table, tablename="organisation"):
    """Bund ministry, Land, Kommune, IT service provider or alliance."""

    id = UUID(primary_key=True)
    slug = Varchar(length=80, unique=True)
    kind = Varchar(length=20)
    name = Varchar(length=300)
    area = ForeignKey(Area, null=True, on_delete=OnDelete.restrict)
    website = Varchar(length=2000, null=True, default=None)
    contact_name = Varchar(length=200, null=True, default=None)
    contact_email = Varchar(length=320, null=True, default=None)
    contact_phone = Varchar(length=60, null=True, default=None)
    is_demo = Boolean(default=False)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())

    organisation_kind_check = Check(one_of("kind", t.OrganisationKind))
    organisation_slug_check = Check("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'")
    organisation_website_check = Check("website IS NULL OR website ~ '^https://'")
    organisation_version_check = Check("version >= 1")


class Solution(Table, tablename="solution"):
    """An EfA online service (Onlinedienst / EfA-Lösung)."""

    id = UUID(primary_key=True)
    slug = Varchar(length=80, unique=True)
    name = Varchar(length=300)
    summary = Varchar(length=1000, null=True, default=None)
    description = Text(null=True, default=None)
    provider = ForeignKey(Organisation, on_delete=OnDelete.restrict)
    operator = ForeignKey(Organisation, null=True, on_delete=OnDelete.restrict)
    status = Varchar(length=20, default="planned")
    efa_compliant = Boolean(null=True, default=None)
    reifegrad_model = Varchar(length=3, null=True, default=None)
    reifegrad = Integer(null=True, default=None)
    reuse_route = Varchar(length=30, null=True, default=None)
    rollout_level = Varchar(length=10, default="gemeinde")
    licence = Varchar(length=100, null=True, default=None)
    source_repository = Varchar(length=2000, null=True, default=None)
    documentation_url = Varchar(length=2000, null=True, default=None)
    costs_note = Text(null=True, default=None)
    language = Varchar(length=3, default="de")
    tags = Array(base_column=Varchar(length=60), default=list)
    contact_name = Varchar(length=200, null=True, default=None)
    contact_email = Varchar(length=320, null=True, default=None)
    is_demo = Boolean(default=False)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())

    solution_status_check = Check(one_of("status", t.SolutionStatus))
    solution_reuse_route_check = Check(one_of("reuse_route", t.ReuseRoute, nullable=True))
    solution_rollout_level_check = Check(one_of("rollout_level", t.RolloutLevel))
    solution_reifegrad_check = Check(
        "(reifegrad IS NULL AND reifegrad_model IS NULL)"
        " OR (reifegrad_model = '1.1' AND reifegrad BETWEEN 0 AND 4)"
        " OR (reifegrad_model = '2.0' AND reifegrad BETWEEN 0 AND 7)"
    )
    solution_slug_check = Check("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'")
    solution_language_check = Check("language ~ '^[a-z]{2,3}$'")
    solution_urls_check = Check(
        "(source_repository IS NULL OR source_repository ~ '^https://')"
        " AND (documentation_url IS NULL OR documentation_url ~ '^https://')"
    )
    solution_version_check = Check("version >= 1")


class SolutionOzgLeistung(Table, tablename="solution_ozg_leistung"):
    solution = ForeignKey(Solution, on_delete=OnDelete.cascade)
    ozg_leistung = ForeignKey(OzgLeistung, on_delete=OnDelete.restrict)

    solution_ozg_leistung_unique = Unique(["solution", "ozg_leistung"])


class Interface(Table, tablename="interface"):
    """A technical interface a solution offers or needs (FIT-Connect, XÖV standard, REST …)."""

    id = UUID(primary_key=True)
    solution = ForeignKey(Solution, on_delete=OnDelete.restrict)
    kind = Varchar(length=20)
    name = Varchar(length=300, null=True, default=None)
    standard = Varchar(length=120, null=True, default=None)
    standard_version = Varchar(length=40, null=True, default=None)
    spec_url = Varchar(length=2000, null=True, default=None)
    authentication = Varchar(length=200, null=True, default=None)
    status = Varchar(length=20, default="active")
    sunset_on = Date(null=True, default=None)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())

    interface_kind_check = Check(one_of("kind", t.InterfaceKind))
    interface_status_check = Check(one_of("status", t.InterfaceStatus))
    interface_spec_url_check = Check("spec_url IS NULL OR spec_url ~ '^https://'")
    interface_version_check = Check("version >= 1")


# --------------------------------------------------------------------------- reuse


class Adoption(Table, tablename="adoption"):
    """Nachnutzung: one solution reused by one adopting area, with its lifecycle status."""

    id = UUID(primary_key=True)
    solution = ForeignKey(Solution, on_delete=OnDelete.restrict)
    area = ForeignKey(Area, on_delete=OnDelete.restrict)
    status = Varchar(length=20, default="interested")
    paused_from = Varchar(length=20, null=True, default=None)
    planned_live_on = Date(null=True, default=None)
    live_since = Date(null=True, default=None)
    note = Text(null=True, default=None)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())

    adoption_status_check = Check(one_of("status", t.AdoptionStatus))
    adoption_paused_from_check = Check(
        "(status = 'paused') = (paused_from IS NOT NULL)"
        " AND (paused_from IS NULL OR paused_from IN ('interested', 'agreed', 'onboarding', 'live'))"
    )
    adoption_live_since_check = Check("status <> 'live' OR live_since IS NOT NULL")
    adoption_version_check = Check("version >= 1")


class AdoptionInterface(Table, tablename="adoption_interface"):
    adoption = ForeignKey(Adoption, on_delete=OnDelete.cascade)
    interface = ForeignKey(Interface, on_delete=OnDelete.restrict)

    adoption_interface_unique = Unique(["adoption", "interface"])


class AdoptionTransition(Table, tablename="adoption_transition"):
    """One step of an adoption's lifecycle, kept with who and when."""

    id = BigSerial(primary_key=True)
    adoption = ForeignKey(Adoption, on_delete=OnDelete.cascade)
    from_status = Varchar(length=20, null=True, default=None)
    to_status = Varchar(length=20)
    actor = Varchar(length=200)
    request_id = Varchar(length=64, null=True, default=None)
    note = Text(null=True, default=None)
    at = Timestamptz(default=TimestamptzNow())
    version = Integer()

    adoption_transition_status_check = Check(
        one_of("to_status", t.AdoptionStatus) + " AND ("
        + one_of("from_status", t.AdoptionStatus, nullable=True) + ")"
    )
