"""Areas (Gebiete): Länder down to Gemeinden, keyed by ARS, from the Destatis GV100AD."""
