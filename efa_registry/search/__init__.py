"""The language core of search: German words as people type them, in pure Python.

The embedded PostgreSQL has no contrib extensions (no pg_trgm, no unaccent), so everything
beyond the ``german`` stemmer happens here, before text reaches the database:

- ``text``       normalisation, umlaut folding, tokens (hyphens, ``an-, um- und abmelden``), stopwords
- ``compounds``  the catalogue's vocabulary and compound splitting (``Hundesteuer`` → hund + steuer)
- ``thesaurus``  everyday words → catalogue wording (``Kita`` → Kindertagesbetreuung)
- ``spelling``   typo correction against the vocabulary ("Meinten Sie …?")
- ``query``      a user query → a safe ``to_tsquery('german', …)`` string
- ``places``     hand-typed place and authority names → ARS, flagging what is ambiguous

Index side: ``to_tsvector('german', compounds.expand_for_index(text, vocab))``.
Query side: ``to_tsquery('german', query.build_tsquery(q, vocab=vocab))`` (None → no search).
"""
