"""The registry as one Piccolo app; its migrations live in the top-level ``migrations/``."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"

APP_CONFIG = AppConfig(
    app_name="efa_registry",
    migrations_folder_path=str(MIGRATIONS_DIR),
    table_classes=table_finder(modules=["efa_registry.db.tables", "efa_registry.db.operations_tables"],
                                 exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)
