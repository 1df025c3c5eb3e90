"""Channel workflows on the case gateway: EAW, Schengen/SIRENE, Interpol, Europol, statistics."""
