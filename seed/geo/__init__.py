"""Map geometry of the Länder and Kreise (BKG VG250, simplified), built by ``seed.geo.build``."""
