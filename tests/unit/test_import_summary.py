"""What the CLI prints after an import or a backup: German numbers, the file name untouched."""

from efa_registry.kit.importing import ImportSummary
from efa_registry.transfer.backup import BackupSummary


def test_import_summary_keeps_the_file_name_and_writes_a_decimal_comma():
    summary = ImportSummary(source="gv100ad GV100AD_30112025.txt", created=16_000, seconds=0.684,
                            edition="2025-11-30", counts={"gemeinde": 10_751})
    first, *rest = summary.lines()
    assert first == ("gv100ad GV100AD_30112025.txt: 16000 neu, 0 geändert, 0 unverändert in 0,68 s"
                     " (Stand 2025-11-30)")
    assert rest == ["  gemeinde: 10751"]


def test_backup_summary_groups_thousands_with_dots_and_keeps_the_directory():
    summary = BackupSummary(action="export", directory="/var/backups/efa.2026", tables={"area": 16_000},
                            seconds=2.25)
    assert summary.lines()[0] == "Sicherung /var/backups/efa.2026: 1 Tabelle, 16.000 Zeilen in 2,2 s"
