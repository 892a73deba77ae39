"""Organisations: ministries, Länder, Kommunen, IT service providers, alliances."""
