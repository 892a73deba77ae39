"""Solutions (EfA online services) and their interfaces: the catalogue."""
