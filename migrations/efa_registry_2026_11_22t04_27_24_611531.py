from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-22T04:27:24:611531"
VERSION = "1.38.0"
DESCRIPTION = "drop unused webhook_subscription.last_event_seq"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="efa_registry", description=DESCRIPTION
    )

    manager.drop_column(
        table_class_name="WebhookSubscription",
        tablename="webhook_subscription",
        column_name="last_event_seq",
        db_column_name="last_event_seq",
        schema=None,
    )

    return manager
