"""Per-Land counts of Gemeinden, gemeindefreie Gebiete and Kreise, kept by the database.

`GET /v1/lands` is the most read figure of the registry, and counting ~11,000 areas on every
request cost ~13 ms of PostgreSQL time. The counts change only when areas are written, so a
statement-level trigger recomputes them (a few ms) after every statement that touches `area`,
whoever writes it: the GV100AD import, the seed, a restore, a test fixture.
"""

from efa_registry.db.migrate import sql_statements

ID = "2026-11-22T04:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "land_count kept by a statement trigger on area"

STATEMENTS = [
    """CREATE TABLE land_count (
        land varchar(2) PRIMARY KEY,
        gemeinden integer NOT NULL CHECK (gemeinden >= 0),
        gemeindefreie_gebiete integer NOT NULL CHECK (gemeindefreie_gebiete >= 0),
        kreise integer NOT NULL CHECK (kreise >= 0)
    )""",
    """CREATE FUNCTION refresh_land_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Serialise concurrent area writers on the recount (the table is tiny).
        PERFORM pg_advisory_xact_lock(hashtext('land_count'));
        DELETE FROM land_count;
        INSERT INTO land_count (land, gemeinden, gemeindefreie_gebiete, kreise)
        SELECT land,
               count(*) FILTER (WHERE level = 'gemeinde'),
               count(*) FILTER (WHERE level = 'gemeindefreies_gebiet'),
               count(*) FILTER (WHERE level = 'kreis')
        FROM area WHERE current AND level IN ('gemeinde', 'gemeindefreies_gebiet', 'kreis')
        GROUP BY land;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER area_land_count AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON area"
    " FOR EACH STATEMENT EXECUTE FUNCTION refresh_land_count()",
    "INSERT INTO land_count SELECT land, count(*) FILTER (WHERE level = 'gemeinde'),"
    " count(*) FILTER (WHERE level = 'gemeindefreies_gebiet'), count(*) FILTER (WHERE level = 'kreis')"
    " FROM area WHERE current AND level IN ('gemeinde', 'gemeindefreies_gebiet', 'kreis') GROUP BY land",
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
