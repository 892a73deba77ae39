"""The OZG catalogue: Themenfelder, Lagen, OZG-Leistungen and their LeiKa entries."""
